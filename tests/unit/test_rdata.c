/*
 * test_rdata.c - rdata of every type in the table: presentation text to
 * wire octets and back, the RFC 3597 "\#" form of the same octets, inputs
 * that must be rejected (with a fragment of the message an operator sees)
 * and wire data that must not print.
 *
 * Vectors come from each type's RFC where it has examples (cited per
 * vector); every wire vector was cross-checked against ldns-read-zone -U,
 * and the canonical spellings of LOC, APL, IPSECKEY, HIP, WKS and SVCB
 * against named-checkzone -D.  Where ldns differs (RFC 9460 Figure 9 alpn
 * escapes, keyNNNNN of a known key) the RFC and BIND agree with us.
 */
#include <stdlib.h>
#include <string.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>
#include "rdata.h"
#include "lexer.h"
#include "tap.h"

static const uint8_t origin[] = "\7example";    /* + NUL = root */

struct vec {
	uint16_t type;
	const char *text;   /* presentation input */
	const char *hex;    /* expected wire, hex digits and blanks */
	const char *canon;  /* expected print, NULL if the same as text */
};

static const struct vec vecs[] = {
	{ ZTK_TYPE_A,
		  "192.0.2.1",
		  "c0 00 02 01",
		  NULL },
	{ ZTK_TYPE_NS,
		  "ns1.example.com.",
		  "03 6e 73 31 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_NS,
		  "ns1",
		  "03 6e 73 31 07 65 78 61 6d 70 6c 65 00",
		  "ns1.example." },
	{ ZTK_TYPE_NS,
		  "a\\.b\\032c.example.",
		  "05 61 2e 62 20 63 07 65 78 61 6d 70 6c 65 00",
		  "a\\.b\\ c.example." },
	{ ZTK_TYPE_NS,
		  "\\065bc\\255.example.",
		  "04 41 62 63 ff 07 65 78 61 6d 70 6c 65 00",
		  "Abc\\255.example." },
	{ ZTK_TYPE_MD,
		  "md.example.com.",
		  "02 6d 64 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_MF,
		  "mf.example.com.",
		  "02 6d 66 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_CNAME,
		  "www.example.com.",
		  "03 77 77 77 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_SOA,
		  "ns.example. hostmaster.example. 2024010101 1h 15m 2w 1d",
		  "02 6e 73 07 65 78 61 6d 70 6c 65 00 0a 68 6f 73 74 6d 61"
		  " 73 74 65 72 07 65 78 61 6d 70 6c 65 00 78 a3 f1 75 00 0"
		  "0 0e 10 00 00 03 84 00 12 75 00 00 01 51 80",
		  "ns.example. hostmaster.example. 2024010101 3600 900 1209"
		  "600 86400" },
	{ ZTK_TYPE_SOA,
		  "( ns hostmaster 1 7200 3600 1209600 3600 )",
		  "02 6e 73 07 65 78 61 6d 70 6c 65 00 0a 68 6f 73 74 6d 61"
		  " 73 74 65 72 07 65 78 61 6d 70 6c 65 00 00 00 00 01 00 0"
		  "0 1c 20 00 00 0e 10 00 12 75 00 00 00 0e 10",
		  "ns.example. hostmaster.example. 1 7200 3600 1209600 3600" },
	{ ZTK_TYPE_MB,
		  "mb.example.com.",
		  "02 6d 62 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_MG,
		  "mg.example.com.",
		  "02 6d 67 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_MR,
		  "mr.example.com.",
		  "02 6d 72 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_WKS,
		  "192.0.2.1 TCP smtp ftp 25 80",
		  "c0 00 02 01 06 00 00 04 40 00 00 00 00 00 00 80",
		  "192.0.2.1 6 21 25 80" },
	{ ZTK_TYPE_WKS,
		  "10.0.0.1 udp domain 0",
		  "0a 00 00 01 11 80 00 00 00 00 00 04",
		  "10.0.0.1 17 0 53" },
	{ ZTK_TYPE_PTR,
		  "host.example.com.",
		  "04 68 6f 73 74 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	/* RFC 1035 3.3.2 */
	{ ZTK_TYPE_HINFO,
		  "\"DEC-2060\" \"TOPS20\"",
		  "08 44 45 43 2d 32 30 36 30 06 54 4f 50 53 32 30",
		  NULL },
	{ ZTK_TYPE_HINFO,
		  "PC Linux",
		  "02 50 43 05 4c 69 6e 75 78",
		  "\"PC\" \"Linux\"" },
	{ ZTK_TYPE_MINFO,
		  "rmailbx.example.com. emailbx.example.com.",
		  "07 72 6d 61 69 6c 62 78 07 65 78 61 6d 70 6c 65 03 63 6f"
		  " 6d 00 07 65 6d 61 69 6c 62 78 07 65 78 61 6d 70 6c 65 0"
		  "3 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_MX,
		  "10 mail.example.com.",
		  "00 0a 04 6d 61 69 6c 07 65 78 61 6d 70 6c 65 03 63 6f 6d"
		  " 00",
		  NULL },
	{ ZTK_TYPE_MX,
		  "0 .",
		  "00 00 00",
		  NULL },
	{ ZTK_TYPE_TXT,
		  "\"v=spf1 -all\"",
		  "0b 76 3d 73 70 66 31 20 2d 61 6c 6c",
		  NULL },
	{ ZTK_TYPE_TXT,
		  "\"a\" \"b c\" d",
		  "01 61 03 62 20 63 01 64",
		  "\"a\" \"b c\" \"d\"" },
	{ ZTK_TYPE_TXT,
		  "\"a\\\"b\\\\c\\010\"",
		  "06 61 22 62 5c 63 0a",
		  NULL },
	{ ZTK_TYPE_TXT,
		  "\"\"",
		  "00",
		  NULL },
	/* RFC 1183 2.2 */
	{ ZTK_TYPE_RP,
		  "louie.trantor.umd.edu. LAM1.people.umd.edu.",
		  "05 6c 6f 75 69 65 07 74 72 61 6e 74 6f 72 03 75 6d 64 03"
		  " 65 64 75 00 04 4c 41 4d 31 06 70 65 6f 70 6c 65 03 75 6"
		  "d 64 03 65 64 75 00",
		  NULL },
	{ ZTK_TYPE_AFSDB,
		  "1 bigbird.toaster.com.",
		  "00 01 07 62 69 67 62 69 72 64 07 74 6f 61 73 74 65 72 03"
		  " 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_X25,
		  "311061700956",
		  "0c 33 31 31 30 36 31 37 30 30 39 35 36",
		  "\"311061700956\"" },
	/* RFC 1183 3.3 */
	{ ZTK_TYPE_RT,
		  "2 Relay.Prime.COM.",
		  "00 02 05 52 65 6c 61 79 05 50 72 69 6d 65 03 43 4f 4d 00",
		  NULL },
	{ ZTK_TYPE_SIG,
		  "A 5 3 86400 20030322173103 20030220173103 2642 example.c"
		  "om. AQID",
		  "00 01 05 03 00 01 51 80 3e 7c 9d d7 3e 55 10 d7 0a 52 07"
		  " 65 78 61 6d 70 6c 65 03 63 6f 6d 00 01 02 03",
		  NULL },
	{ ZTK_TYPE_KEY,
		  "256 3 5 AQID",
		  "01 00 03 05 01 02 03",
		  NULL },
	/* RFC 2163 4 */
	{ ZTK_TYPE_PX,
		  "10 net2.it. PRMD-net2.ADMD-p400.C-it.",
		  "00 0a 04 6e 65 74 32 02 69 74 00 09 50 52 4d 44 2d 6e 65"
		  " 74 32 09 41 44 4d 44 2d 70 34 30 30 04 43 2d 69 74 00",
		  NULL },
	{ ZTK_TYPE_AAAA,
		  "2001:db8::1",
		  "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
		  NULL },
	{ ZTK_TYPE_AAAA,
		  "2001:DB8:0:0:0:0:0:1",
		  "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
		  "2001:db8::1" },
	{ ZTK_TYPE_AAAA,
		  "::ffff:192.0.2.1",
		  "00 00 00 00 00 00 00 00 00 00 ff ff c0 00 02 01",
		  NULL },
	/* RFC 1876 3 (cambridge-net.kei.com) */
	{ ZTK_TYPE_LOC,
		  "42 21 54 N 71 06 18 W -24m 30m",
		  "00 33 16 13 89 17 2d d0 70 be 15 f0 00 98 8d 20",
		  "42 21 54.000 N 71 6 18.000 W -24.00m 30m 10000m 10m" },
	/* RFC 1876 3 (loiosh.kei.com) */
	{ ZTK_TYPE_LOC,
		  "42 21 43.952 N 71 5 6.344 W -24m 1m 200m",
		  "00 12 24 13 89 17 06 90 70 bf 2d d8 00 98 8d 20",
		  "42 21 43.952 N 71 5 6.344 W -24.00m 1m 200m 10m" },
	/* RFC 1876 3 (pipex.net) */
	{ ZTK_TYPE_LOC,
		  "52 14 05 N 00 08 50 E 10m",
		  "00 12 16 13 8b 35 56 c8 80 08 16 50 00 98 9a 68",
		  "52 14 5.000 N 0 8 50.000 E 10.00m 1m 10000m 10m" },
	/* RFC 1876 3 (curtin.edu.au) */
	{ ZTK_TYPE_LOC,
		  "32 7 19 S 116 2 25 E 10m",
		  "00 12 16 13 79 1b 7d 28 98 e6 48 68 00 98 9a 68",
		  "32 7 19.000 S 116 2 25.000 E 10.00m 1m 10000m 10m" },
	/* RFC 1876 3 (rwy04L.logan-airport.boston) */
	{ ZTK_TYPE_LOC,
		  "42 21 28.764 N 71 00 51.617 W -44m 2000m",
		  "00 25 16 13 89 16 cb 3c 70 c3 10 df 00 98 85 50",
		  "42 21 28.764 N 71 0 51.617 W -44.00m 2000m 10000m 10m" },
	/* equator, sea level */
	{ ZTK_TYPE_LOC,
		  "0 N 0 E 0",
		  "00 12 16 13 80 00 00 00 80 00 00 00 00 98 96 80",
		  "0 0 0.000 N 0 0 0.000 E 0.00m 1m 10000m 10m" },
	/* extremes of every field */
	{ ZTK_TYPE_LOC,
		  "90 S 180 W -100000.00 90000000.00m 90000000m 0.01m",
		  "00 99 99 10 6c b0 27 00 59 60 4e 00 00 00 00 00",
		  "90 0 0.000 S 180 0 0.000 W -100000.00m 90000000m 9000000"
		  "0m 0.01m" },
	/* highest altitude; 0.15m truncates to 0.10m (RFC 1876 code, BIND) */
	{ ZTK_TYPE_LOC,
		  "42 N 71 E 42849672.95m 0.15m 0 0",
		  "00 11 00 00 89 03 21 00 8f 3c 25 80 ff ff ff ff",
		  "42 0 0.000 N 71 0 0.000 E 42849672.95m 0.10m 0.00m 0.00m" },
	{ ZTK_TYPE_SRV,
		  "0 5 5060 sipserver.example.com.",
		  "00 00 00 05 13 c4 09 73 69 70 73 65 72 76 65 72 07 65 78"
		  " 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_NAPTR,
		  "100 50 \"s\" \"http+N2L+N2C+N2R\" \"\" www.example.com.",
		  "00 64 00 32 01 73 10 68 74 74 70 2b 4e 32 4c 2b 4e 32 43"
		  " 2b 4e 32 52 00 03 77 77 77 07 65 78 61 6d 70 6c 65 03 6"
		  "3 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_NAPTR,
		  "100 10 \"\" \"\" \"!^.*$!sip:info@example.com!\" .",
		  "00 64 00 0a 00 00 1b 21 5e 2e 2a 24 21 73 69 70 3a 69 6e"
		  " 66 6f 40 65 78 61 6d 70 6c 65 2e 63 6f 6d 21 00",
		  NULL },
	{ ZTK_TYPE_KX,
		  "10 kx1.example.com.",
		  "00 0a 03 6b 78 31 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	{ ZTK_TYPE_CERT,
		  "PGP 0 0 AQID",
		  "00 03 00 00 00 01 02 03",
		  "3 0 0 AQID" },
	{ ZTK_TYPE_CERT,
		  "PKIX 1 RSASHA256 AQID",
		  "00 01 00 01 08 01 02 03",
		  "1 1 8 AQID" },
	{ ZTK_TYPE_DNAME,
		  "example.net.",
		  "07 65 78 61 6d 70 6c 65 03 6e 65 74 00",
		  NULL },
	/* RFC 3123 5 */
	{ ZTK_TYPE_APL,
		  "1:192.168.32.0/21 !1:192.168.38.0/28",
		  "00 01 15 03 c0 a8 20 00 01 1c 83 c0 a8 26",
		  NULL },
	{ ZTK_TYPE_APL,
		  "1:192.168.42.0/26 1:192.168.42.64/26 1:192.168.42.128/25",
		  "00 01 1a 03 c0 a8 2a 00 01 1a 04 c0 a8 2a 40 00 01 19 04"
		  " c0 a8 2a 80",
		  NULL },
	{ ZTK_TYPE_APL,
		  "1:127.0.0.1/32 1:172.16.64.0/22",
		  "00 01 20 04 7f 00 00 01 00 01 16 03 ac 10 40",
		  NULL },
	{ ZTK_TYPE_APL,
		  "1:224.0.0.0/4 2:FF00:0:0:0:0:0:0:0/8",
		  "00 01 04 01 e0 00 02 08 01 ff",
		  "1:224.0.0.0/4 2:ff00::/8" },
	/* RFC 3123 4: zero items */
	{ ZTK_TYPE_APL,
		  "",
		  "",
		  NULL },
	{ ZTK_TYPE_APL,
		  "1:0.0.0.0/0 !2:::/0",
		  "00 01 00 00 00 02 00 80",
		  NULL },
	/* RFC 4034 5.4 */
	{ ZTK_TYPE_DS,
		  "60485 5 1 ( 2BB183AF5F22588179A53B0A98631FAD1A292118 )",
		  "ec 45 05 01 2b b1 83 af 5f 22 58 81 79 a5 3b 0a 98 63 1f"
		  " ad 1a 29 21 18",
		  "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118" },
	/* mnemonic algorithm, hex in blanks */
	{ ZTK_TYPE_DS,
		  "60485 RSASHA1 1 2bb183af5f22588179a5 3b0a98631fad1a29211"
		  "8",
		  "ec 45 05 01 2b b1 83 af 5f 22 58 81 79 a5 3b 0a 98 63 1f"
		  " ad 1a 29 21 18",
		  "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118" },
	/* RFC 4255 3.3 */
	{ ZTK_TYPE_SSHFP,
		  "2 1 123456789abcdef67890123456789abcdef67890",
		  "02 01 12 34 56 78 9a bc de f6 78 90 12 34 56 78 9a bc de"
		  " f6 78 90",
		  "2 1 123456789ABCDEF67890123456789ABCDEF67890" },
	/* RFC 4025 3 */
	{ ZTK_TYPE_IPSECKEY,
		  "( 10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6"
		  "BSGvgqt4AQ== )",
		  "0a 01 02 c0 00 02 26 01 03 51 53 79 86 ed 35 53 3b 60 64"
		  " 47 8e ee b2 7b 5b d7 4d ae 14 9b 6e 81 ba 3a 05 21 af 8"
		  "2 ab 78 01",
		  "10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BS"
		  "Gvgqt4AQ==" },
	{ ZTK_TYPE_IPSECKEY,
		  "( 10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4A"
		  "Q== )",
		  "0a 00 02 01 03 51 53 79 86 ed 35 53 3b 60 64 47 8e ee b2"
		  " 7b 5b d7 4d ae 14 9b 6e 81 ba 3a 05 21 af 82 ab 78 01",
		  "10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ="
		  "=" },
	{ ZTK_TYPE_IPSECKEY,
		  "( 10 1 2 192.0.2.3 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6B"
		  "SGvgqt4AQ== )",
		  "0a 01 02 c0 00 02 03 01 03 51 53 79 86 ed 35 53 3b 60 64"
		  " 47 8e ee b2 7b 5b d7 4d ae 14 9b 6e 81 ba 3a 05 21 af 8"
		  "2 ab 78 01",
		  "10 1 2 192.0.2.3 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSG"
		  "vgqt4AQ==" },
	{ ZTK_TYPE_IPSECKEY,
		  "( 10 3 2 mygateway.example.com. AQNRU3mG7TVTO2BkR47usntb"
		  "102uFJtugbo6BSGvgqt4AQ== )",
		  "0a 03 02 09 6d 79 67 61 74 65 77 61 79 07 65 78 61 6d 70"
		  " 6c 65 03 63 6f 6d 00 01 03 51 53 79 86 ed 35 53 3b 60 6"
		  "4 47 8e ee b2 7b 5b d7 4d ae 14 9b 6e 81 ba 3a 05 21 af "
		  "82 ab 78 01",
		  "10 3 2 mygateway.example.com. AQNRU3mG7TVTO2BkR47usntb10"
		  "2uFJtugbo6BSGvgqt4AQ==" },
	{ ZTK_TYPE_IPSECKEY,
		  "( 10 2 2 2001:0DB8:0:8002::2000:1 AQNRU3mG7TVTO2BkR47usn"
		  "tb102uFJtugbo6BSGvgqt4AQ== )",
		  "0a 02 02 20 01 0d b8 00 00 80 02 00 00 00 00 20 00 00 01"
		  " 01 03 51 53 79 86 ed 35 53 3b 60 64 47 8e ee b2 7b 5b d"
		  "7 4d ae 14 9b 6e 81 ba 3a 05 21 af 82 ab 78 01",
		  "10 2 2 2001:db8:0:8002::2000:1 AQNRU3mG7TVTO2BkR47usntb1"
		  "02uFJtugbo6BSGvgqt4AQ==" },
	/* RFC 4025 2.4: no gateway, no key */
	{ ZTK_TYPE_IPSECKEY,
		  "10 0 0 .",
		  "0a 00 00",
		  NULL },
	/* RFC 4034 3.3 */
	{ ZTK_TYPE_RRSIG,
		  "A 5 3 86400 20030322173103 ( 20030220173103 2642 example"
		  ".com. oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKG"
		  "MeDPKijVCHX3DDKdfb+v6oB9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O"
		  "3tGNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkGJ5D6fwFm8nN+6pBzeD"
		  "QfsS3Ap3o= )",
		  "00 01 05 03 00 01 51 80 3e 7c 9d d7 3e 55 10 d7 0a 52 07"
		  " 65 78 61 6d 70 6c 65 03 63 6f 6d 00 a0 90 75 5b a5 8d 1"
		  "a ff a5 76 f4 37 58 31 b4 31 09 20 e4 81 21 8d 18 a9 f1 "
		  "64 eb 3d 81 af d3 b8 75 d3 c7 54 28 63 1e 0c f2 a2 8d 50"
		  " 87 5f 70 c3 29 d7 db fa fe a8 07 dc 1f ba 1d c3 4c 95 d"
		  "4 01 f2 3f 33 4c e6 3b fc f3 f1 b5 b4 47 39 e5 f0 ed ed "
		  "18 d6 b3 3f 04 0a 91 13 76 d1 73 d7 57 a9 f0 c1 fa 17 98"
		  " 94 1b b0 b3 6b 2d f9 06 27 90 fa 7f 01 66 f2 73 7e ea 9"
		  "0 73 78 34 1f b1 2d c0 a7 7a",
		  "A 5 3 86400 20030322173103 20030220173103 2642 example.c"
		  "om. oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMe"
		  "DPKijVCHX3DDKdfb+v6oB9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3t"
		  "GNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkGJ5D6fwFm8nN+6pBzeDQf"
		  "sS3Ap3o=" },
	/* timestamps as seconds since 1970 */
	{ ZTK_TYPE_RRSIG,
		  "A RSASHA1 3 86400 1048354263 1045762263 2642 example.com"
		  ". AQID",
		  "00 01 05 03 00 01 51 80 3e 7c 9d d7 3e 55 10 d7 0a 52 07"
		  " 65 78 61 6d 70 6c 65 03 63 6f 6d 00 01 02 03",
		  "A 5 3 86400 20030322173103 20030220173103 2642 example.c"
		  "om. AQID" },
	/* RFC 4034 4.3 */
	{ ZTK_TYPE_NSEC,
		  "host.example.com. ( A MX RRSIG NSEC TYPE1234 )",
		  "04 68 6f 73 74 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00"
		  " 06 40 01 00 00 00 03 04 1b 00 00 00 00 00 00 00 00 00 0"
		  "0 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 20",
		  "host.example.com. A MX RRSIG NSEC TYPE1234" },
	/* type bitmap in windows 0, 1, 4 and 255 */
	{ ZTK_TYPE_NSEC,
		  "host.example.com. A CAA TYPE1234 TYPE65534",
		  "04 68 6f 73 74 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00"
		  " 01 40 01 01 40 04 1b 00 00 00 00 00 00 00 00 00 00 00 0"
		  "0 00 00 00 00 00 00 00 00 00 00 00 00 00 00 20 ff 20 00 "
		  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
		  " 00 00 00 00 00 00 00 00 00 00 00 02",
		  NULL },
	{ ZTK_TYPE_NSEC,
		  "Host.Example.com. NS SOA RRSIG NSEC DNSKEY",
		  "04 48 6f 73 74 07 45 78 61 6d 70 6c 65 03 63 6f 6d 00 00"
		  " 07 22 00 00 00 00 03 80",
		  NULL },
	/* RFC 4034 2.3 */
	{ ZTK_TYPE_DNSKEY,
		  "256 3 5 ( AQPSKmynfzW4kyBv015MUG2DeIQ3 Cbl+BBZH4b/0PY1kx"
		  "kmvHjcZc8no kfzj31GajIQKY+5CptLr3buXA10h WqTkF7H6RfoRqXQ"
		  "eogmMHfpftf6z Mv1LyBUgia7za6ZEzOJBOztyvhjL 742iU/TpPSEDh"
		  "m2SNKLijfUppn1U aNvv4w== )",
		  "01 00 03 05 01 03 d2 2a 6c a7 7f 35 b8 93 20 6f d3 5e 4c"
		  " 50 6d 83 78 84 37 09 b9 7e 04 16 47 e1 bf f4 3d 8d 64 c"
		  "6 49 af 1e 37 19 73 c9 e8 91 fc e3 df 51 9a 8c 84 0a 63 "
		  "ee 42 a6 d2 eb dd bb 97 03 5d 21 5a a4 e4 17 b1 fa 45 fa"
		  " 11 a9 74 1e a2 09 8c 1d fa 5f b5 fe b3 32 fd 4b c8 15 2"
		  "0 89 ae f3 6b a6 44 cc e2 41 3b 3b 72 be 18 cb ef 8d a2 "
		  "53 f4 e9 3d 21 03 86 6d 92 34 a2 e2 8d f5 29 a6 7d 54 68"
		  " db ef e3",
		  "256 3 5 AQPSKmynfzW4kyBv015MUG2DeIQ3Cbl+BBZH4b/0PY1kxkmv"
		  "HjcZc8nokfzj31GajIQKY+5CptLr3buXA10hWqTkF7H6RfoRqXQeogmM"
		  "Hfpftf6zMv1LyBUgia7za6ZEzOJBOztyvhjL742iU/TpPSEDhm2SNKLi"
		  "jfUppn1UaNvv4w==" },
	{ ZTK_TYPE_DNSKEY,
		  "257 3 ECDSAP256SHA256 AQID",
		  "01 01 03 0d 01 02 03",
		  "257 3 13 AQID" },
	/* RFC 4701 3.6 */
	{ ZTK_TYPE_DHCID,
		  "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
		  "00 02 01 63 6f c0 b8 27 1c 82 82 5b b1 ac 5c 41 cf 53 51"
		  " aa 69 b4 fe bd 94 e8 f1 7c db 95 00 0d a4 8c 40",
		  NULL },
	{ ZTK_TYPE_DHCID,
		  "AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No=",
		  "00 01 01 39 20 fe 5d 1d ce b3 fd 0b a3 37 97 56 a7 0d 73"
		  " b1 70 09 f4 1d 58 bd db fc d6 a2 50 39 56 d8 da",
		  NULL },
	/* RFC 5155 Appendix A */
	{ ZTK_TYPE_NSEC3,
		  "1 1 12 aabbccdd ( 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DN"
		  "SKEY NS SOA NSEC3PARAM RRSIG )",
		  "01 01 00 0c 04 aa bb cc dd 14 17 4e b2 40 9f e2 8b cb 48"
		  " 87 a1 83 6f 95 7f 0a 84 25 e2 7b 00 07 22 01 00 00 00 0"
		  "2 90",
		  "1 1 12 AABBCCDD 2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA "
		  "MX RRSIG DNSKEY NSEC3PARAM" },
	{ ZTK_TYPE_NSEC3,
		  "1 1 12 aabbccdd ( 2vptu5timamqttgl4luu9kg21e0aor3s A RRS"
		  "IG )",
		  "01 01 00 0c 04 aa bb cc dd 14 17 f3 df 17 b2 b2 ad ae f6"
		  " 15 25 7d e4 d2 02 0b 80 ac 6c 7c 00 06 40 00 00 00 00 0"
		  "2",
		  "1 1 12 AABBCCDD 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG" },
	/* NSEC3 without salt */
	{ ZTK_TYPE_NSEC3,
		  "1 0 0 - 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S A",
		  "01 00 00 00 00 14 17 f3 df 17 b2 b2 ad ae f6 15 25 7d e4"
		  " d2 02 0b 80 ac 6c 7c 00 01 40",
		  "1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s A" },
	/* RFC 5155 Appendix A */
	{ ZTK_TYPE_NSEC3PARAM,
		  "1 0 12 aabbccdd",
		  "01 00 00 0c 04 aa bb cc dd",
		  "1 0 12 AABBCCDD" },
	{ ZTK_TYPE_NSEC3PARAM,
		  "1 0 0 -",
		  "01 00 00 00 00",
		  NULL },
	/* RFC 6698 2.3 */
	{ ZTK_TYPE_TLSA,
		  "( 0 0 1 d2abde240d7cd3ee6b4b28c54df034b9 7983a1d16e8a410"
		  "e4561cb106618e971 )",
		  "00 00 01 d2 ab de 24 0d 7c d3 ee 6b 4b 28 c5 4d f0 34 b9"
		  " 79 83 a1 d1 6e 8a 41 0e 45 61 cb 10 66 18 e9 71",
		  "0 0 1 D2ABDE240D7CD3EE6B4B28C54DF034B97983A1D16E8A410E45"
		  "61CB106618E971" },
	{ ZTK_TYPE_TLSA,
		  "3 1 1 0123456789abcdef",
		  "03 01 01 01 23 45 67 89 ab cd ef",
		  "3 1 1 0123456789ABCDEF" },
	{ ZTK_TYPE_SMIMEA,
		  "3 0 1 d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e45"
		  "61cb106618e971",
		  "03 00 01 d2 ab de 24 0d 7c d3 ee 6b 4b 28 c5 4d f0 34 b9"
		  " 79 83 a1 d1 6e 8a 41 0e 45 61 cb 10 66 18 e9 71",
		  "3 0 1 D2ABDE240D7CD3EE6B4B28C54DF034B97983A1D16E8A410E45"
		  "61CB106618E971" },
	/* RFC 8005 6 */
	{ ZTK_TYPE_HIP,
		  "( 2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EM"
		  "zxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy8"
		  "7UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7k"
		  "wzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs1.examp"
		  "le.com. rvs2.example.com. )",
		  "10 02 00 84 20 01 00 10 7b 1a 74 df 36 56 39 cc 39 f1 d5"
		  " 78 03 01 00 01 b7 71 ca 13 6e 4a eb 5c e4 43 33 c5 3b 3"
		  "d 2c 13 c2 22 43 85 1f c7 08 bc ce 29 f7 e2 eb 57 87 b5 "
		  "f5 6c ca d3 4f 82 23 ac c1 09 04 dd b5 6b 2e c4 a6 d6 23"
		  " 2f 3b 50 ea 09 4f 09 14 b3 b9 41 bb e5 29 af 58 2c 36 b"
		  "b ad ef da f2 ad af 9b 49 11 90 6f 5b 25 22 60 3c 61 52 "
		  "72 b8 80 ec 8f b9 30 cc 6e e3 9c 44 4d aa 75 b1 67 8f 00"
		  " 5a 4b 24 99 d1 da 54 33 f8 05 c7 a5 ad 32 37 ac c5 dd 5"
		  "c 5e 43 04 72 76 73 31 07 65 78 61 6d 70 6c 65 03 63 6f "
		  "6d 00 04 72 76 73 32 07 65 78 61 6d 70 6c 65 03 63 6f 6d"
		  " 00",
		  "2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzx"
		  "Ts9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87U"
		  "OoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwz"
		  "G7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs1.example"
		  ".com. rvs2.example.com." },
	{ ZTK_TYPE_HIP,
		  "2 200100107b1a74df365639cc39f1d578 AwEAAQ==",
		  "10 02 00 04 20 01 00 10 7b 1a 74 df 36 56 39 cc 39 f1 d5"
		  " 78 03 01 00 01",
		  "2 200100107B1A74DF365639CC39F1D578 AwEAAQ==" },
	/* RFC 8078 4: delete DS */
	{ ZTK_TYPE_CDS,
		  "0 0 0 00",
		  "00 00 00 00 00",
		  NULL },
	{ ZTK_TYPE_CDS,
		  "60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B"
		  "8383F6A1E4469DA50A",
		  "ec 45 05 02 d4 b7 d5 20 e7 bb 5f 0f 67 67 4a 0c ce b1 e3"
		  " e0 61 4b 93 c4 f9 e9 9b 83 83 f6 a1 e4 46 9d a5 0a",
		  NULL },
	/* RFC 8078 4: delete DNSKEY */
	{ ZTK_TYPE_CDNSKEY,
		  "0 3 0 AA==",
		  "00 00 03 00 00",
		  NULL },
	{ ZTK_TYPE_CDNSKEY,
		  "257 3 8 AwEAAQ==",
		  "01 01 03 08 03 01 00 01",
		  NULL },
	{ ZTK_TYPE_OPENPGPKEY,
		  "AQIDBAUGBwgJ",
		  "01 02 03 04 05 06 07 08 09",
		  NULL },
	/* RFC 7477 2.1.1 */
	{ ZTK_TYPE_CSYNC,
		  "66 3 A NS AAAA",
		  "00 00 00 42 00 03 00 04 60 00 00 08",
		  NULL },
	/* RFC 8976 A.1 */
	{ ZTK_TYPE_ZONEMD,
		  "2018031900 1 1 ( c68090d90a7aed71 6bc459f9340e3d7c 1370d"
		  "4d24b7e2fc3 a1ddc0b9a87153b9 a9713b3c9ae5cc27 777f98b8e7"
		  "30044c )",
		  "78 48 b9 1c 01 01 c6 80 90 d9 0a 7a ed 71 6b c4 59 f9 34"
		  " 0e 3d 7c 13 70 d4 d2 4b 7e 2f c3 a1 dd c0 b9 a8 71 53 b"
		  "9 a9 71 3b 3c 9a e5 cc 27 77 7f 98 b8 e7 30 04 4c",
		  "2018031900 1 1 C68090D90A7AED716BC459F9340E3D7C1370D4D24"
		  "B7E2FC3A1DDC0B9A87153B9A9713B3C9AE5CC27777F98B8E730044C" },
	/* RFC 9460 D.1, Figure 2 */
	{ ZTK_TYPE_HTTPS,
		  "0 foo.example.com.",
		  "00 00 03 66 6f 6f 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00",
		  NULL },
	/* RFC 9460 D.2, Figures 3-9 */
	{ ZTK_TYPE_SVCB,
		  "1 .",
		  "00 01 00",
		  NULL },
	{ ZTK_TYPE_SVCB,
		  "16 foo.example.com. port=53",
		  "00 10 03 66 6f 6f 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00"
		  " 00 03 00 02 00 35",
		  NULL },
	{ ZTK_TYPE_SVCB,
		  "1 foo.example.com. key667=hello",
		  "00 01 03 66 6f 6f 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00"
		  " 02 9b 00 05 68 65 6c 6c 6f",
		  "1 foo.example.com. key667=\"hello\"" },
	{ ZTK_TYPE_SVCB,
		  "1 foo.example.com. key667=\"hello\\210qoo\"",
		  "00 01 03 66 6f 6f 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00"
		  " 02 9b 00 09 68 65 6c 6c 6f d2 71 6f 6f",
		  NULL },
	{ ZTK_TYPE_SVCB,
		  "1 foo.example.com. ipv6hint=\"2001:db8::1,2001:db8::53:1"
		  "\"",
		  "00 01 03 66 6f 6f 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00"
		  " 00 06 00 20 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 0"
		  "0 01 20 01 0d b8 00 00 00 00 00 00 00 00 00 53 00 01",
		  "1 foo.example.com. ipv6hint=2001:db8::1,2001:db8::53:1" },
	{ ZTK_TYPE_SVCB,
		  "1 example.com. ipv6hint=\"2001:db8:122:344::192.0.2.33\"",
		  "00 01 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 06 00 10"
		  " 20 01 0d b8 01 22 03 44 00 00 00 00 c0 00 02 21",
		  "1 example.com. ipv6hint=2001:db8:122:344::c000:221" },
	{ ZTK_TYPE_SVCB,
		  "16 foo.example.org. (alpn=h2,h3-19 mandatory=ipv4hint,al"
		  "pn ipv4hint=192.0.2.1)",
		  "00 10 03 66 6f 6f 07 65 78 61 6d 70 6c 65 03 6f 72 67 00"
		  " 00 00 00 04 00 01 00 04 00 01 00 09 02 68 32 05 68 33 2"
		  "d 31 39 00 04 00 04 c0 00 02 01",
		  "16 foo.example.org. mandatory=alpn,ipv4hint alpn=\"h2,h3"
		  "-19\" ipv4hint=192.0.2.1" },
	{ ZTK_TYPE_SVCB,
		  "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"",
		  "00 10 03 66 6f 6f 07 65 78 61 6d 70 6c 65 03 6f 72 67 00"
		  " 00 01 00 0c 08 66 5c 6f 6f 2c 62 61 72 02 68 32",
		  NULL },
	{ ZTK_TYPE_SVCB,
		  "16 foo.example.org. alpn=f\\\\\\092oo\\092,bar,h2",
		  "00 10 03 66 6f 6f 07 65 78 61 6d 70 6c 65 03 6f 72 67 00"
		  " 00 01 00 0c 08 66 5c 6f 6f 2c 62 61 72 02 68 32",
		  "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"" },
	/* ECH config, no-default-alpn */
	{ ZTK_TYPE_HTTPS,
		  "1 . alpn=h2,h3 no-default-alpn port=443 ipv4hint=192.0.2"
		  ".1,192.0.2.2 ech=AEX+DQBBpQAgACCW2/dfOBZAtQU55/py/BlhdRd"
		  "aauPAkrERAUwppoeSEgAEAAEAAQASY2QxLnRlc3QuZXhhbXBsZS5jb20"
		  "AAA== ipv6hint=2001:db8::1",
		  "00 01 00 00 01 00 06 02 68 32 02 68 33 00 02 00 00 00 03"
		  " 00 02 01 bb 00 04 00 08 c0 00 02 01 c0 00 02 02 00 05 0"
		  "0 49 00 45 fe 0d 00 41 a5 00 20 00 20 96 db f7 5f 38 16 "
		  "40 b5 05 39 e7 fa 72 fc 19 61 75 17 5a 6a e3 c0 92 b1 11"
		  " 01 4c 29 a6 87 92 12 00 04 00 01 00 01 00 12 63 64 31 2"
		  "e 74 65 73 74 2e 65 78 61 6d 70 6c 65 2e 63 6f 6d 00 00 "
		  "00 06 00 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00"
		  " 01",
		  "1 . alpn=\"h2,h3\" no-default-alpn port=443 ipv4hint=192"
		  ".0.2.1,192.0.2.2 ech=AEX+DQBBpQAgACCW2/dfOBZAtQU55/py/Bl"
		  "hdRdaauPAkrERAUwppoeSEgAEAAEAAQASY2QxLnRlc3QuZXhhbXBsZS5"
		  "jb20AAA== ipv6hint=2001:db8::1" },
	/* RFC 9461 5 */
	{ ZTK_TYPE_SVCB,
		  "1 doh.example.net. alpn=h2 dohpath=/dns-query{?dns}",
		  "00 01 03 64 6f 68 07 65 78 61 6d 70 6c 65 03 6e 65 74 00"
		  " 00 01 00 03 02 68 32 00 07 00 10 2f 64 6e 73 2d 71 75 6"
		  "5 72 79 7b 3f 64 6e 73 7d",
		  "1 doh.example.net. alpn=\"h2\" dohpath=\"/dns-query{?dns"
		  "}\"" },
	/* keys printed in wire order */
	{ ZTK_TYPE_SVCB,
		  "1 . key65535 key9=\"\"",
		  "00 01 00 00 09 00 00 ff ff 00 00",
		  "1 . key9 key65535" },
	/* any order in, sorted out */
	{ ZTK_TYPE_HTTPS,
		  "1 . key1000=\"a b\" alpn=\"h2\" mandatory=key1000",
		  "00 01 00 00 00 00 02 03 e8 00 01 00 03 02 68 32 03 e8 00"
		  " 03 61 20 62",
		  "1 . mandatory=key1000 alpn=\"h2\" key1000=\"a b\"" },
	/* RFC 9540 4 */
	{ ZTK_TYPE_HTTPS,
		  "1 . alpn=h3 ohttp",
		  "00 01 00 00 01 00 03 02 68 33 00 08 00 00",
		  "1 . alpn=\"h3\" ohttp" },
	/* keyNNNNN value is the wire form (RFC 9460 2.1) */
	{ ZTK_TYPE_SVCB,
		  "1 . key1=\\002h2",
		  "00 01 00 00 01 00 03 02 68 32",
		  "1 . alpn=\"h2\"" },
	{ ZTK_TYPE_SPF,
		  "\"v=spf1 -all\"",
		  "0b 76 3d 73 70 66 31 20 2d 61 6c 6c",
		  NULL },
	/* RFC 6742 2.1-2.4 examples */
	{ ZTK_TYPE_NID,
		  "10 0014:4fff:ff20:ee64",
		  "00 0a 00 14 4f ff ff 20 ee 64",
		  NULL },
	{ ZTK_TYPE_NID,
		  "20 0015:5fff:fe21:ee65",
		  "00 14 00 15 5f ff fe 21 ee 65",
		  NULL },
	{ ZTK_TYPE_L32,
		  "10 10.1.2.0",
		  "00 0a 0a 01 02 00",
		  NULL },
	{ ZTK_TYPE_L64,
		  "10 2001:0DB8:1140:1000",
		  "00 0a 20 01 0d b8 11 40 10 00",
		  "10 2001:0db8:1140:1000" },
	{ ZTK_TYPE_LP,
		  "10 l64-subnet1.example.com.",
		  "00 0a 0b 6c 36 34 2d 73 75 62 6e 65 74 31 07 65 78 61 6d"
		  " 70 6c 65 03 63 6f 6d 00",
		  NULL },
	/* RFC 7043 3.2 */
	{ ZTK_TYPE_EUI48,
		  "00-00-5e-00-53-2a",
		  "00 00 5e 00 53 2a",
		  NULL },
	{ ZTK_TYPE_EUI48,
		  "00-00-5E-00-53-2A",
		  "00 00 5e 00 53 2a",
		  "00-00-5e-00-53-2a" },
	/* RFC 7043 4.2 */
	{ ZTK_TYPE_EUI64,
		  "00-00-5e-ef-10-00-00-2a",
		  "00 00 5e ef 10 00 00 2a",
		  NULL },
	/* RFC 7553 4.5 */
	{ ZTK_TYPE_URI,
		  "10 1 \"ftp://ftp1.example.com/public\"",
		  "00 0a 00 01 66 74 70 3a 2f 2f 66 74 70 31 2e 65 78 61 6d"
		  " 70 6c 65 2e 63 6f 6d 2f 70 75 62 6c 69 63",
		  NULL },
	{ ZTK_TYPE_URI,
		  "10 1 \"https://www.example.com/path\"",
		  "00 0a 00 01 68 74 74 70 73 3a 2f 2f 77 77 77 2e 65 78 61"
		  " 6d 70 6c 65 2e 63 6f 6d 2f 70 61 74 68",
		  NULL },
	/* RFC 8659 4.5 */
	{ ZTK_TYPE_CAA,
		  "0 issue \"ca.example.net\"",
		  "00 05 69 73 73 75 65 63 61 2e 65 78 61 6d 70 6c 65 2e 6e"
		  " 65 74",
		  NULL },
	{ ZTK_TYPE_CAA,
		  "0 iodef \"mailto:security@example.com\"",
		  "00 05 69 6f 64 65 66 6d 61 69 6c 74 6f 3a 73 65 63 75 72"
		  " 69 74 79 40 65 78 61 6d 70 6c 65 2e 63 6f 6d",
		  NULL },
	{ ZTK_TYPE_CAA,
		  "128 tbs \"Unknown\"",
		  "80 03 74 62 73 55 6e 6b 6e 6f 77 6e",
		  NULL },
	{ ZTK_TYPE_CAA,
		  "0 issue \";\"",
		  "00 05 69 73 73 75 65 3b",
		  NULL },
	{ ZTK_TYPE_TA,
		  "30795 1 1 E6E2A8BB6BD1F3F1CE6C6C4ADB8A4AAB4E73C4F7",
		  "78 4b 01 01 e6 e2 a8 bb 6b d1 f3 f1 ce 6c 6c 4a db 8a 4a"
		  " ab 4e 73 c4 f7",
		  NULL },
	{ ZTK_TYPE_DLV,
		  "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
		  "ec 45 05 01 2b b1 83 af 5f 22 58 81 79 a5 3b 0a 98 63 1f"
		  " ad 1a 29 21 18",
		  NULL },
	/* empty type bitmaps: an NSEC3 of an empty non-terminal (RFC 5155
	 * 7.1), and no trailing blank when printed */
	{ ZTK_TYPE_NSEC3,
		  "1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s",
		  "01 00 00 00 00 14 17 f3 df 17 b2 b2 ad ae f6 15 25 7d e4 d2"
		  " 02 0b 80 ac 6c 7c",
		  NULL },
	{ ZTK_TYPE_NSEC,
		  "host.example.",
		  "04 68 6f 73 74 07 65 78 61 6d 70 6c 65 00",
		  NULL },
	{ ZTK_TYPE_CSYNC,
		  "66 3",
		  "00 00 00 42 00 03",
		  NULL },
};

struct bad {
	uint16_t type;
	const char *text;
	const char *frag;   /* must appear in the message */
};

static const struct bad bads[] = {
	{ ZTK_TYPE_A, "1.2.3", "bad IPv4 address \"1.2.3\"" },
	{ ZTK_TYPE_A, "192.0.2.01", "bad IPv4 address" },
	{ ZTK_TYPE_A, "", "missing IPv4 address in A record" },
	{ ZTK_TYPE_A, "192.0.2.1 192.0.2.2", "unexpected \"192.0.2.2\"" },
	{ ZTK_TYPE_NS, "a..example.", "empty label" },
	{ ZTK_TYPE_MD, "", "missing domain name" },
	{ ZTK_TYPE_MF, "mf.example. extra", "unexpected \"extra\"" },
	{ ZTK_TYPE_CNAME, "a\\256.example.", "above 255" },
	{ ZTK_TYPE_CNAME, "0123456789012345678901234567890123456789"
		"012345678901234567890123.", "label longer than 63" },
	{ ZTK_TYPE_SOA, "ns. h. 1 2 3 4", "missing time value" },
	{ ZTK_TYPE_SOA, "ns. h. 1 2 3 4 5x", "bad time value \"5x\"" },
	{ ZTK_TYPE_MB, "a\\", "backslash at end" },
	{ ZTK_TYPE_MG, "a\\12.example.", "three digits" },
	{ ZTK_TYPE_MR, "", "missing domain name" },
	{ ZTK_TYPE_WKS, "192.0.2.1 sctp 25", "bad WKS protocol \"sctp\"" },
	{ ZTK_TYPE_WKS, "192.0.2.1 tcp 65536", "bad WKS service \"65536\"" },
	{ ZTK_TYPE_WKS, "192.0.2.1 tcp smtp,ftp", "bad WKS service" },
	{ ZTK_TYPE_WKS, "192.0.2.1", "missing protocol" },
	{ ZTK_TYPE_PTR, "host.example. host2.example.", "unexpected" },
	{ ZTK_TYPE_HINFO, "\"DEC-2060\"", "missing string" },
	{ ZTK_TYPE_MINFO, "rmailbx.example.", "missing domain name" },
	{ ZTK_TYPE_MX, "65536 mx.example.", "from 0 to 65535, got \"65536\"" },
	{ ZTK_TYPE_MX, "-1 mx.example.", "got \"-1\"" },
	{ ZTK_TYPE_TXT, "\"abc", "without closing quote" },
	{ ZTK_TYPE_TXT, "\"\\999\"", "bad escape" },
	{ ZTK_TYPE_TXT, "", "missing string" },
	{ ZTK_TYPE_RP, "louie.trantor.umd.edu.", "missing domain name" },
	{ ZTK_TYPE_AFSDB, "x bigbird.toaster.com.", "got \"x\"" },
	{ ZTK_TYPE_X25, "", "missing string" },
	{ ZTK_TYPE_RT, "2", "missing domain name" },
	{ ZTK_TYPE_SIG, "FOO 5 3 86400 20030322173103 20030220173103 2642 "
		"example.com. AQID", "unknown record type \"FOO\"" },
	{ ZTK_TYPE_KEY, "256 3 5 A", "base64" },
	{ ZTK_TYPE_PX, "10 net2.it.", "missing domain name" },
	{ ZTK_TYPE_AAAA, "2001:db8::g", "bad IPv6 address \"2001:db8::g\"" },
	{ ZTK_TYPE_AAAA, "192.0.2.1", "bad IPv6 address" },
	/* LOC: RFC 1876 3 ranges */
	{ ZTK_TYPE_LOC, "91 N 0 E 0m", "LOC latitude degrees above 90" },
	{ ZTK_TYPE_LOC, "42 N 181 E 0m", "LOC longitude degrees above 180" },
	{ ZTK_TYPE_LOC, "90 0 0.001 N 0 E 0m", "LOC latitude beyond 90" },
	{ ZTK_TYPE_LOC, "42 60 N 71 E 0m", "LOC latitude minutes above 59" },
	{ ZTK_TYPE_LOC, "42 0 60 N 71 E 0m", "LOC latitude seconds above" },
	{ ZTK_TYPE_LOC, "42 21 54.1234 N 71 E 0m",
		"bad LOC latitude seconds \"54.1234\"" },
	{ ZTK_TYPE_LOC, "42 21 54 X 71 E 0m", "expected N or S after the LOC "
		"latitude, got \"X\"" },
	{ ZTK_TYPE_LOC, "42 N 71 N 0m", "bad LOC longitude minutes \"N\"" },
	{ ZTK_TYPE_LOC, "42 N 71 E", "missing altitude" },
	{ ZTK_TYPE_LOC, "42 N 71 E 42849672.96m", "LOC altitude "
		"\"42849672.96m\" out of range" },
	{ ZTK_TYPE_LOC, "42 N 71 E -100000.01m", "out of range" },
	{ ZTK_TYPE_LOC, "42 N 71 E 0.001m", "bad LOC altitude" },
	{ ZTK_TYPE_LOC, "42 N 71 E 0m 90000000.01m", "LOC size "
		"\"90000000.01m\" above 90000000m" },
	{ ZTK_TYPE_LOC, "42 N 71 E 0m -1m", "bad LOC size \"-1m\"" },
	{ ZTK_TYPE_LOC, "42 N 71 E 0m 1m 1m 1km", "bad LOC vertical "
		"precision \"1km\"" },
	{ ZTK_TYPE_LOC, "42 N 71 E 0m 1m 1m 1m 1m", "unexpected \"1m\"" },
	{ ZTK_TYPE_SRV, "0 5 5060", "missing domain name" },
	{ ZTK_TYPE_NAPTR, "100 50 \"s\" \"http+N2L\" \"\"",
		"missing domain name" },
	{ ZTK_TYPE_KX, "kx1.example.com.", "got \"kx1.example.com.\"" },
	{ ZTK_TYPE_CERT, "FOO 0 0 AQID", "unknown certificate type \"FOO\"" },
	{ ZTK_TYPE_DNAME, "a..b.", "empty label" },
	/* APL: RFC 3123 4 and 5 */
	{ ZTK_TYPE_APL, "3:1/1", "APL address family 3 in \"3:1/1\" is not "
		"supported" },
	{ ZTK_TYPE_APL, "1:10/8", "bad IPv4 address in APL item \"1:10/8\"" },
	{ ZTK_TYPE_APL, "1:192.0.2.0/33", "bad APL prefix length in "
		"\"1:192.0.2.0/33\" (0 to 32)" },
	{ ZTK_TYPE_APL, "2:2001:db8::/129", "(0 to 128)" },
	{ ZTK_TYPE_APL, "2:192.0.2.0/24", "bad IPv6 address" },
	{ ZTK_TYPE_APL, "1:192.0.2.0", "bad APL item \"1:192.0.2.0\"" },
	{ ZTK_TYPE_APL, "!!1:192.0.2.0/24", "bad APL address family" },
	{ ZTK_TYPE_APL, "\"1:192.0.2.0/24\"", "bad APL item" },
	{ ZTK_TYPE_DS, "60485 5 1 ABC", "odd number of hexadecimal digits" },
	{ ZTK_TYPE_DS, "60485 5 1", "missing hexadecimal data" },
	{ ZTK_TYPE_SSHFP, "2 1 XYZ", "bad hexadecimal data \"XYZ\"" },
	/* IPSECKEY: RFC 4025 2 */
	{ ZTK_TYPE_IPSECKEY, "10 4 2 . AQID", "bad IPSECKEY gateway type "
		"\"4\"" },
	{ ZTK_TYPE_IPSECKEY, "10 0 2 192.0.2.1 AQID", "IPSECKEY gateway type "
		"0 means no gateway" },
	{ ZTK_TYPE_IPSECKEY, "10 1 2 2001:db8::1 AQID", "bad IPv4 address" },
	{ ZTK_TYPE_IPSECKEY, "10 2 2 192.0.2.1 AQID", "bad IPv6 address" },
	{ ZTK_TYPE_IPSECKEY, "10 3 2 a..b. AQID", "empty label" },
	{ ZTK_TYPE_IPSECKEY, "10 1 256 192.0.2.1", "bad IPSECKEY algorithm "
		"\"256\"" },
	{ ZTK_TYPE_IPSECKEY, "10 1 2 192.0.2.1 AQI", "base64" },
	{ ZTK_TYPE_IPSECKEY, "10 1 2", "missing IPv4 address" },
	{ ZTK_TYPE_RRSIG, "A 5 3 86400 20031322173103 20030220173103 2642 "
		"example.com. AQID", "bad timestamp \"20031322173103\"" },
	{ ZTK_TYPE_RRSIG, "A 5 3 86400 20030322173103 20030220173103 2642 "
		"example.com.", "missing base64 data" },
	{ ZTK_TYPE_NSEC, "host.example. A FOO", "unknown record type \"FOO\" "
		"in type bitmap" },
	{ ZTK_TYPE_NSEC, "host.example. A TYPE65536", "unknown record type" },
	{ ZTK_TYPE_DNSKEY, "256 3 FOOALG AQID", "unknown algorithm "
		"\"FOOALG\"" },
	{ ZTK_TYPE_DHCID, "!!!!", "bad base64 data" },
	{ ZTK_TYPE_NSEC3, "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojw A",
		"bad base32hex data" },
	{ ZTK_TYPE_NSEC3, "1 1 12 aabbccd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A",
		"odd number of hexadecimal digits" },
	{ ZTK_TYPE_NSEC3PARAM, "1 0 12 abc", "odd number" },
	{ ZTK_TYPE_TLSA, "0 0 1 xyz", "bad hexadecimal data" },
	{ ZTK_TYPE_SMIMEA, "256 0 1 00", "from 0 to 255, got \"256\"" },
	/* HIP: RFC 8005 5 */
	{ ZTK_TYPE_HIP, "2 2001001 AwEAAQ==", "bad HIP HIT \"2001001\"" },
	{ ZTK_TYPE_HIP, "2 20010010XX AwEAAQ==", "bad HIP HIT" },
	{ ZTK_TYPE_HIP, "2 200100107b1a74df365639cc39f1d578 AwEAAQ",
		"bad HIP public key \"AwEAAQ\"" },
	{ ZTK_TYPE_HIP, "2 200100107b1a74df365639cc39f1d578",
		"missing public key" },
	{ ZTK_TYPE_HIP, "256 2001 AwEAAQ==", "bad HIP public key algorithm" },
	{ ZTK_TYPE_HIP, "2 2001 AwEAAQ== a..b.", "empty label" },
	{ ZTK_TYPE_CDS, "0 0 0", "missing hexadecimal data" },
	{ ZTK_TYPE_CDNSKEY, "257 3 NOPE AwEAAQ==", "unknown algorithm" },
	{ ZTK_TYPE_OPENPGPKEY, "AQIDBA=", "wrong length or padding" },
	{ ZTK_TYPE_CSYNC, "66 3 A BOGUS", "unknown record type \"BOGUS\"" },
	{ ZTK_TYPE_ZONEMD, "2018031900 1 1 xyz", "bad hexadecimal data" },
	/* SVCB: RFC 9460 D.3, Figures 11-16, in their order */
	{ ZTK_TYPE_SVCB, "1 foo.example.com. ( key123=abc key123=def )",
		"SvcParam \"key123\" given twice" },
	{ ZTK_TYPE_SVCB, "1 foo.example.com. mandatory",
		"SvcParam \"mandatory\" needs a value" },
	{ ZTK_TYPE_SVCB, "1 foo.example.com. alpn",
		"SvcParam \"alpn\" needs a value" },
	{ ZTK_TYPE_SVCB, "1 foo.example.com. port",
		"SvcParam \"port\" needs a value" },
	{ ZTK_TYPE_SVCB, "1 foo.example.com. ipv4hint",
		"SvcParam \"ipv4hint\" needs a value" },
	{ ZTK_TYPE_SVCB, "1 foo.example.com. ipv6hint",
		"SvcParam \"ipv6hint\" needs a value" },
	{ ZTK_TYPE_SVCB, "1 foo.example.com. no-default-alpn=abc",
		"SvcParam \"no-default-alpn\" takes no value" },
	{ ZTK_TYPE_SVCB, "1 foo.example.com. mandatory=key123",
		"mandatory lists \"key123\" but the record has no such "
		"SvcParam" },
	{ ZTK_TYPE_SVCB, "1 foo.example.com. mandatory=mandatory",
		"mandatory must not list \"mandatory\" itself" },
	{ ZTK_TYPE_SVCB, "1 foo.example.com. ( mandatory=key123,key123 "
		"key123=abc )", "key \"key123\" listed twice in mandatory" },
	/* SVCB: more of RFC 9460 2.1, 7 and 8 */
	{ ZTK_TYPE_SVCB, "1 foo.example.com. ech",
		"SvcParam \"ech\" needs a value" },
	{ ZTK_TYPE_SVCB, "1 . ech=abc", "bad base64 \"abc\" in SvcParam ech" },
	{ ZTK_TYPE_SVCB, "1 . port=123,456", "bad port \"123,456\"" },
	{ ZTK_TYPE_SVCB, "1 . port=65536", "bad port \"65536\"" },
	{ ZTK_TYPE_SVCB, "1 . mandatory=port port=53 port=54",
		"SvcParam \"port\" given twice" },
	{ ZTK_TYPE_SVCB, "1 . port=53 key3=\\000\\053",
		"SvcParam \"port\" given twice" },
	{ ZTK_TYPE_SVCB, "1 . no-default-alpn",
		"SvcParam \"no-default-alpn\" without \"alpn\"" },
	{ ZTK_TYPE_SVCB, "1 . alpn=h2,,h3", "empty protocol id in alpn" },
	{ ZTK_TYPE_SVCB, "1 . alpn=h2,", "empty protocol id in alpn" },
	{ ZTK_TYPE_SVCB, "1 . alpn= h2", "SvcParam \"alpn=\" has \"=\" but no "
		"value" },
	{ ZTK_TYPE_SVCB, "1 . alpn=\"h2\"port=53", "\"port=53\" right after "
		"the closing quote" },
	{ ZTK_TYPE_SVCB, "1 . \"alpn=h2\"", "expected a SvcParam key" },
	{ ZTK_TYPE_SVCB, "1 . foo=bar", "unknown SvcParam key \"foo\"" },
	{ ZTK_TYPE_SVCB, "1 . key01=x", "unknown SvcParam key \"key01\"" },
	{ ZTK_TYPE_SVCB, "1 . key65536=x", "unknown SvcParam key" },
	{ ZTK_TYPE_SVCB, "1 . key1=h2", "SvcParam \"alpn\" has an empty or "
		"truncated protocol id" },
	{ ZTK_TYPE_SVCB, "1 . key3=\\000", "SvcParam \"port\" must be a "
		"2-octet port number" },
	{ ZTK_TYPE_SVCB, "1 . ipv4hint=192.0.2.1,", "bad ipv4hint "
		"\"192.0.2.1,\"" },
	{ ZTK_TYPE_SVCB, "1 . ipv6hint=192.0.2.1", "bad ipv6hint" },
	{ ZTK_TYPE_SVCB, "1 . mandatory=port,,alpn port=1 alpn=h2",
		"bad key list" },
	{ ZTK_TYPE_SVCB, "1 . mandatory=bogus", "bad key list \"bogus\"" },
	{ ZTK_TYPE_SVCB, "1 . dohpath=/dns-query", "SvcParam \"dohpath\" must "
		"be a relative URI template" },
	{ ZTK_TYPE_SVCB, "1 . dohpath=no-slash{?dns}", "SvcParam \"dohpath\"" },
	{ ZTK_TYPE_SVCB, "1 . dohpath=/{?notdns}", "SvcParam \"dohpath\"" },
	{ ZTK_TYPE_SVCB, "1 . ohttp=1", "SvcParam \"ohttp\" takes no value" },
	{ ZTK_TYPE_SVCB, "1 . key9=\"\\1\"", "bad escape in SvcParam value" },
	{ ZTK_TYPE_HTTPS, "1 . alpn=h2 alpn=h3", "SvcParam \"alpn\" given "
		"twice" },
	{ ZTK_TYPE_HTTPS, "1", "missing domain name" },
	{ ZTK_TYPE_SPF, "\"v=spf1 -all", "without closing quote" },
	{ ZTK_TYPE_NID, "10 0014:4fff:ff20", "bad 64-bit locator" },
	{ ZTK_TYPE_L32, "10 10.1.2", "bad IPv4 address" },
	{ ZTK_TYPE_L64, "10 2001:0DB8:1140", "bad 64-bit locator" },
	{ ZTK_TYPE_LP, "10", "missing domain name" },
	{ ZTK_TYPE_EUI48, "00-00-5e-00-53", "bad EUI-48 address" },
	{ ZTK_TYPE_EUI48, "00:00:5e:00:53:2a", "bad EUI-48 address" },
	{ ZTK_TYPE_EUI64, "00-00-5e-ef-10-00-00", "bad EUI-64 address" },
	{ ZTK_TYPE_URI, "10 1", "missing text" },
	{ ZTK_TYPE_CAA, "0 is-sue \"x\"", "letters and digits only" },
	{ ZTK_TYPE_CAA, "256 issue \"x\"", "got \"256\"" },
	{ ZTK_TYPE_TA, "30795 1 1 E6E2A8B", "odd number" },
	{ ZTK_TYPE_DLV, "60485 5", "missing number" },
	/* RFC 3597: a type without a table row only in generic form */
	{ 65280, "1 2 3", "write its data as \\# LENGTH HEX" },
	{ ZTK_TYPE_A, "\\# 4 C00002", "\\# says 4 octets but 3 follow" },
	{ ZTK_TYPE_A, "\\# 3 C00002", "\\# data is not valid A record data" },
	{ ZTK_TYPE_A, "\\# 4 C00002GG", "bad hexadecimal data" },
	{ ZTK_TYPE_A, "\\# 65536", "bad length" },
};

/* Wire data a type must not print (and "\#" must reject). */
struct badwire {
	uint16_t type;
	const char *hex;
	const char *why;
};

static const struct badwire badwires[] = {
	{ ZTK_TYPE_A, "c0 00 02", "A of 3 octets" },
	{ ZTK_TYPE_NS, "03 6e 73", "name without root label" },
	{ ZTK_TYPE_MX, "00 0a c0 0c", "compressed name" },
	{ ZTK_TYPE_TXT, "05 61 62", "string longer than the data" },
	{ ZTK_TYPE_NSEC, "00 00 00", "bitmap window of zero octets" },
	{ ZTK_TYPE_NSEC, "00 00 21 00", "bitmap window of 33 octets" },
	{ ZTK_TYPE_NSEC, "00 01 00 01 40 00 01 40", "windows repeated" },
	/* LOC */
	{ ZTK_TYPE_LOC, "01 12 16 13 89 17 2d d0 70 be 15 f0 00 98 8d 20",
		"LOC version 1" },
	{ ZTK_TYPE_LOC, "00 a2 16 13 89 17 2d d0 70 be 15 f0 00 98 8d 20",
		"LOC size mantissa 10" },
	{ ZTK_TYPE_LOC, "00 12 1a 13 89 17 2d d0 70 be 15 f0 00 98 8d 20",
		"LOC precision exponent 10" },
	{ ZTK_TYPE_LOC, "00 12 16 13 ff ff ff ff 70 be 15 f0 00 98 8d 20",
		"LOC latitude beyond 90 degrees" },
	{ ZTK_TYPE_LOC, "00 12 16 13 89 17 2d d0 00 00 00 00 00 98 8d 20",
		"LOC longitude beyond 180 degrees" },
	{ ZTK_TYPE_LOC, "00 12 16 13 89 17 2d d0 70 be 15 f0 00 98 8d",
		"LOC of 15 octets" },
	{ ZTK_TYPE_LOC, "00 12 16 13 89 17 2d d0 70 be 15 f0 00 98 8d 20 00",
		"LOC of 17 octets" },
	/* APL */
	{ ZTK_TYPE_APL, "00 01 08 02 0a 00", "APL address with a trailing "
		"zero octet" },
	{ ZTK_TYPE_APL, "00 03 08 01 0a", "APL address family 3" },
	{ ZTK_TYPE_APL, "00 01 21 01 0a", "APL IPv4 prefix 33" },
	{ ZTK_TYPE_APL, "00 01 08 05 0a 01 02 03 04", "APL IPv4 of 5 octets" },
	{ ZTK_TYPE_APL, "00 01 08 02 0a", "APL item truncated" },
	{ ZTK_TYPE_APL, "00 01 08", "APL header truncated" },
	/* IPSECKEY */
	{ ZTK_TYPE_IPSECKEY, "0a 04 02", "IPSECKEY gateway type 4" },
	{ ZTK_TYPE_IPSECKEY, "0a 01 02 c0 00 02", "IPSECKEY IPv4 truncated" },
	{ ZTK_TYPE_IPSECKEY, "0a 02 02 20 01 0d b8", "IPSECKEY IPv6 "
		"truncated" },
	{ ZTK_TYPE_IPSECKEY, "0a 03 02 03 66 6f 6f", "IPSECKEY name "
		"truncated" },
	{ ZTK_TYPE_IPSECKEY, "0a 00", "IPSECKEY without algorithm" },
	/* HIP */
	{ ZTK_TYPE_HIP, "00 02 00 01 01", "HIP HIT of zero octets" },
	{ ZTK_TYPE_HIP, "01 02 00 00 20", "HIP key of zero octets" },
	{ ZTK_TYPE_HIP, "02 02 00 04 20 01 03 01 00", "HIP key truncated" },
	{ ZTK_TYPE_HIP, "01 02 00 01 20 01 03 66 6f 6f", "HIP server name "
		"truncated" },
	/* SVCB (priority 1, target ".") */
	{ ZTK_TYPE_SVCB, "00 01 00 00 03 00 02 00 35 00 01 00 03 02 68 32",
		"SvcParams out of order" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 03 00 02 00 35 00 03 00 02 00 35",
		"SvcParam given twice" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 00 00 02 00 03", "mandatory key "
		"missing" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 00 00 02 00 00", "mandatory lists "
		"mandatory" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 00 00 04 00 03 00 01 00 01 00 03 02 68 "
		"32 00 03 00 02 00 35", "mandatory out of order" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 01 00 02 02 68", "alpn id "
		"truncated" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 01 00 01 00", "alpn empty id" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 02 00 00", "no-default-alpn without "
		"alpn" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 01 00 03 02 68 32 00 02 00 01 00",
		"no-default-alpn with a value" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 03 00 03 00 00 35", "port of 3 "
		"octets" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 04 00 05 c0 00 02 01 00", "ipv4hint of "
		"5 octets" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 04 00 00", "empty ipv4hint" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 05 00 00", "empty ech" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 06 00 04 20 01 0d b8", "ipv6hint of 4 "
		"octets" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 07 00 01 2f", "dohpath without dns" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 08 00 01 00", "ohttp with a value" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 09 00 05 00", "value truncated" },
	{ ZTK_TYPE_SVCB, "00 01 00 00 09", "key truncated" },
	{ ZTK_TYPE_HTTPS, "00 01 00 00 01", "SvcParam header truncated" },
	/* WKS */
	{ ZTK_TYPE_WKS, "c0 00 02 01", "WKS without protocol" },
	{ ZTK_TYPE_WKS, "c0 00 02", "WKS address truncated" },
};

/* --- helpers -------------------------------------------------------------- */

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int half = -1;
	for (; *s; s++) {
		int v;
		if (*s == ' ')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else
			v = (*s | 0x20) - 'a' + 10;
		if (half < 0) {
			half = v;
		} else {
			if (n < cap)
				out[n] = (uint8_t)(half << 4 | v);
			n++;
			half = -1;
		}
	}
	return n;
}

static uint8_t wire[ZTK_RDATA_MAX], wire2[ZTK_RDATA_MAX];

/* Parse text of type into wire; length or a negative code, err filled. */
static int
from_text(uint16_t type, const char *text, uint8_t *out, char *err,
	size_t errlen)
{
	struct ztk_wbuf w = { out, 0, ZTK_RDATA_MAX };
	err[0] = 0;
	int r = ztk_rdata_from_text(type, text, strlen(text), origin, &w, err,
		errlen);
	return r ? r : (int)w.len;
}

static char *
to_text(uint16_t type, const uint8_t *rd, size_t len, int *rc)
{
	struct ztk_sbuf s = { 0 };
	*rc = ztk_rdata_print(type, rd, len, &s);
	if (*rc == 0 && s.buf == NULL)
		return strdup("");
	if (*rc != 0) {
		ztk_sbuf_clear(&s);
		return NULL;
	}
	return s.buf;
}

static char *
generic_of(const uint8_t *rd, size_t len)
{
	size_t cap = len * 2 + 32;
	char *s = malloc(cap);
	int n = snprintf(s, cap, "\\# %zu", len);
	if (len)
		s[n++] = ' ';
	for (size_t i = 0; i < len; i++)
		n += snprintf(s + n, cap - (size_t)n, "%02x", rd[i]);
	return s;
}

static const char *
tname(uint16_t type)
{
	static char buf[16];
	return ztk_rrtype_name(type, buf);
}

/* --- the table-driven tests --------------------------------------------- */

static void
check_vec(const struct vec *v)
{
	char err[300];
	uint8_t want[4096];
	size_t wlen = unhex(v->hex, want, sizeof want);
	const char *canon = v->canon ? v->canon : v->text;
	const char *tn = tname(v->type);

	int n = from_text(v->type, v->text, wire, err, sizeof err);
	if (!ok(n >= 0, "%s %s parses", tn, v->text)) {
		printf("#   %s\n", err);
		return;
	}
	is_mem(wire, (size_t)n, want, wlen, "%s %s wire", tn, v->text);

	int rc;
	char *t = to_text(v->type, wire, (size_t)n, &rc);
	is_int(rc, 0, "%s %s prints", tn, v->text);
	is_str(t, canon, "%s %s canonical text", tn, v->text);
	free(t);

	/* the canonical text reads back to the same octets */
	int n2 = from_text(v->type, canon, wire2, err, sizeof err);
	if (n2 < 0)
		printf("#   %s\n", err);
	is_mem(wire2, n2 < 0 ? 0 : (size_t)n2, wire, (size_t)n,
		"%s %s reparses", tn, canon);

	/* RFC 3597 5: the generic form of the same octets */
	char *g = generic_of(wire, (size_t)n);
	n2 = from_text(v->type, g, wire2, err, sizeof err);
	if (n2 < 0)
		printf("#   %s\n", err);
	is_mem(wire2, n2 < 0 ? 0 : (size_t)n2, wire, (size_t)n,
		"%s %s as generic", tn, g);
	free(g);
}

static void
check_bad(const struct bad *b)
{
	char err[300];
	int n = from_text(b->type, b->text, wire, err, sizeof err);
	ok(n < 0, "%s %s rejected", tname(b->type), b->text);
	if (!ok(strstr(err, b->frag) != NULL, "%s %s: message says \"%s\"",
	    tname(b->type), b->text, b->frag))
		printf("#   got \"%s\"\n", err);
}

static void
check_badwire(const struct badwire *b)
{
	uint8_t rd[512];
	char err[300];
	size_t len = unhex(b->hex, rd, sizeof rd);
	int rc;
	char *t = to_text(b->type, rd, len, &rc);
	if (!ok(rc == ZTK_EMALF, "%s: %s does not print", tname(b->type),
	    b->why))
		printf("#   printed \"%s\" (%d)\n", t ? t : "", rc);
	free(t);
	is_int(ztk_rdata_check(b->type, rd, len), ZTK_EMALF, "%s: %s fails "
		"the check", tname(b->type), b->why);
	char *g = generic_of(rd, len);
	int n = from_text(b->type, g, wire, err, sizeof err);
	ok(n < 0 && strstr(err, "is not valid") != NULL, "%s: %s rejected "
		"as \\#", tname(b->type), b->why);
	free(g);
}

/* Every type of the table has vectors that pass and that fail. */
static void
check_coverage(void)
{
	unsigned types = 0;
	for (uint32_t c = 0; c <= 0xffff; c++) {
		if (ztk_rrtype_desc((uint16_t)c) == NULL)
			continue;
		types++;
		unsigned good = 0, bad = 0;
		for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
			good += vecs[i].type == c;
		for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++)
			bad += bads[i].type == c;
		ok(good > 0 && bad > 0, "%s has %u valid and %u invalid "
			"vectors", tname((uint16_t)c), good, bad);
	}
	ok(types >= 60, "table has %u types", types);
}

/* --- special cases ------------------------------------------------------ */

/* RFC 1035 3.3: over 255 octets in one string is its own check id. */
static void
check_txt_too_long(void)
{
	char text[600];
	struct ztk_lexer lx;
	struct ztk_wbuf w = { wire, 0, ZTK_RDATA_MAX };

	text[0] = '"';
	memset(text + 1, 'a', 256);
	memcpy(text + 257, "\"", 2);
	for (int i = 0; i < 2; i++) {
		uint16_t type = i ? ZTK_TYPE_SPF : ZTK_TYPE_TXT;
		struct ztk_rdparse rp = { .lx = &lx, .origin = origin,
			.type = type };
		ztk_lexer_init(&lx, text, strlen(text));
		w.len = 0;
		ok(ztk_rdata_parse(&rp, &w) == ZTK_ESYNTAX, "%s of 256 octets "
			"rejected", tname(type));
		is_str(rp.check, "txt-string-too-long", "%s check id",
			tname(type));
		ok(strstr(rp.msg, "longer than 255") != NULL, "%s message: %s",
			tname(type), rp.msg);
	}
	/* exactly 255 is fine; other types keep the plain syntax id */
	text[256] = '"';
	text[257] = 0;
	char err[300];
	int n = from_text(ZTK_TYPE_TXT, text, wire, err, sizeof err);
	is_int(n, 256, "TXT of 255 octets accepted");
	text[256] = 'a';
	text[257] = '"';
	struct ztk_rdparse rp = { .lx = &lx, .origin = origin,
		.type = ZTK_TYPE_HINFO };
	memcpy(text + 258, " \"x\"", 5);
	ztk_lexer_init(&lx, text, strlen(text));
	w.len = 0;
	ok(ztk_rdata_parse(&rp, &w) != 0, "HINFO of 256 octets rejected");
	is_str(rp.check, "syntax", "HINFO check id is syntax");
}

/* RFC 1035 3.2.1: RDLENGTH is 16 bits, whatever the type. */
static void
check_too_long(void)
{
	char err[300];
	size_t cap = 200000;
	char *text = malloc(cap);
	size_t n = 0;

	/* 260 strings of 255 octets: 66560 octets */
	for (int i = 0; i < 260; i++) {
		text[n++] = '"';
		memset(text + n, 'x', 255);
		n += 255;
		text[n++] = '"';
		text[n++] = ' ';
	}
	text[n] = 0;
	ok(from_text(ZTK_TYPE_TXT, text, wire, err, sizeof err) < 0 &&
		strstr(err, "longer than 65535") != NULL,
		"TXT over 65535 octets rejected: %s", err);

	/* 8192 APL items of 8 octets */
	n = 0;
	for (int i = 0; i < 8192; i++)
		n += (size_t)snprintf(text + n, cap - n, "1:10.0.%d.%d/32 ",
			i / 256 % 256, i % 256 + (i % 256 == 0));
	ok(from_text(ZTK_TYPE_APL, text, wire, err, sizeof err) < 0 &&
		strstr(err, "longer than 65535") != NULL,
		"APL over 65535 octets rejected: %s", err);

	/* one SvcParam value of 65530 octets after a priority and target */
	n = (size_t)snprintf(text, cap, "1 . key9=");
	memset(text + n, 'v', 65530);
	text[n + 65530] = 0;
	ok(from_text(ZTK_TYPE_SVCB, text, wire, err, sizeof err) < 0 &&
		strstr(err, "longer than 65535") != NULL,
		"SVCB over 65535 octets rejected: %s", err);
	/* ... and one that just fits: 3 + 4 + 65528 */
	text[n + 65528] = 0;
	ok(from_text(ZTK_TYPE_SVCB, text, wire, err, sizeof err) == 65535,
		"SVCB of exactly 65535 octets accepted %s", err);

	/* HIP with rendezvous servers past the limit */
	n = (size_t)snprintf(text, cap, "2 2001 AwEAAQ==");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(text + n, cap - n,
			" %060d.%060d.%060d.%060d.", i, i, i, i);
	ok(from_text(ZTK_TYPE_HIP, text, wire, err, sizeof err) < 0 &&
		strstr(err, "longer than 65535") != NULL,
		"HIP over 65535 octets rejected: %s", err);

	/* the generic form too */
	snprintf(text, cap, "\\# 65536 00");
	ok(from_text(ZTK_TYPE_TXT, text, wire, err, sizeof err) < 0,
		"\\# 65536 rejected: %s", err);
	free(text);
}

/* RFC 3597 5: a type the table does not know, both ways. */
static void
check_unknown_type(void)
{
	char err[300];
	int n = from_text(65280, "\\# 3 010203", wire, err, sizeof err);
	is_mem(wire, n < 0 ? 0 : (size_t)n, "\1\2\3", 3, "TYPE65280 \\# 3");
	int rc;
	char *t = to_text(65280, wire, 3, &rc);
	is_str(t, "\\# 3 010203", "TYPE65280 prints generic");
	free(t);
	n = from_text(65280, "\\# 0", wire, err, sizeof err);
	is_int(n, 0, "TYPE65280 \\# 0");
	t = to_text(65280, wire, 0, &rc);
	is_str(t, "\\# 0", "TYPE65280 empty prints generic");
	free(t);
	uint16_t code;
	ok(ztk_rrtype_from_text("TYPE65280", 9, &code) == 0 && code == 65280,
		"TYPE65280 mnemonic");
	char buf[16];
	is_str(ztk_rrtype_name(65280, buf), "TYPE65280", "TYPE65280 name");
	/* generic data of a known type is checked against its table row */
	n = from_text(ZTK_TYPE_MX, "\\# 4 000a0000", wire, err, sizeof err);
	ok(n < 0, "MX \\# with a truncated name rejected: %s", err);
}

/* Multiline and commented input read the same as one line. */
static void
check_layout(void)
{
	char err[300];
	const char *a = "1 1 12 aabbccdd ( 2t7b4g4vsa5smi47k61mv5bv1a22bojr "
		"; x\n\tMX DNSKEY NS ; y\n SOA NSEC3PARAM RRSIG )";
	const char *b = "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX "
		"DNSKEY NS SOA NSEC3PARAM RRSIG";
	int n = from_text(ZTK_TYPE_NSEC3, a, wire, err, sizeof err);
	int n2 = from_text(ZTK_TYPE_NSEC3, b, wire2, err, sizeof err);
	is_mem(wire, n < 0 ? 0 : (size_t)n, wire2, n2 < 0 ? 0 : (size_t)n2,
		"NSEC3 across lines with comments");
	n = from_text(ZTK_TYPE_HTTPS, "1 . (\n alpn=h2\n port=443 )", wire,
		err, sizeof err);
	n2 = from_text(ZTK_TYPE_HTTPS, "1 . port=443 alpn=h2", wire2, err,
		sizeof err);
	is_mem(wire, n < 0 ? 0 : (size_t)n, wire2, n2 < 0 ? 0 : (size_t)n2,
		"HTTPS across lines, any order");
	/* error positions are line:col of the bad token */
	n = from_text(ZTK_TYPE_LOC, "( 42 21 54 N\n  71 06 61 W 0m )", wire,
		err, sizeof err);
	ok(n < 0 && strncmp(err, "2:9: ", 5) == 0, "LOC error at 2:9: %s",
		err);
}

int
main(void)
{
	for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
		check_vec(&vecs[i]);
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++)
		check_bad(&bads[i]);
	for (size_t i = 0; i < sizeof badwires / sizeof badwires[0]; i++)
		check_badwire(&badwires[i]);
	check_coverage();
	check_txt_too_long();
	check_too_long();
	check_unknown_type();
	check_layout();
	return done_testing();
}
