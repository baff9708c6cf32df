# ztk - one plain Makefile.  `make` builds libztk (static and shared) and the
# binaries into $(BUILD); `make check` runs unit and CLI tests; `make SAN=1
# check` does the same with ASan+UBSan in build-san/.
VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
SAN       ?= 0
WERROR    ?= 0

ifeq ($(SAN),1)
BUILD     ?= build-san
OPT       ?= -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
SANLD     := -fsanitize=address,undefined
else
BUILD     ?= build
OPT       ?= -O2
SANLD     :=
endif

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wpointer-arith -Wformat=2 -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN      += -Werror
endif
CPPFLAGS  += -Iinclude -D_GNU_SOURCE -DZTK_VERSION=\"$(VERSION)\"
CFLAGS    ?= -g
CFLAGS    += -std=c17 $(OPT) $(WARN) -fPIC -fvisibility=hidden
LDFLAGS   += $(SANLD)
P11KIT_CFLAGS := $(shell pkg-config --cflags p11-kit-1 2>/dev/null || echo -I/usr/include/p11-kit-1)
CPPFLAGS  += $(P11KIT_CFLAGS)
# libcrypto: digests, verification, key import; libp11: module and token
# handling; sqlite3: key state; dl: the raw PKCS#11 function list.
LIBS      := -lp11 -lcrypto -lsqlite3 -ldl -lm -lpthread

PUBLIC_HEADERS := include/ztk/ztk.h include/ztk/visibility.h \
	include/ztk/error.h include/ztk/dname.h include/ztk/rrtype.h \
	include/ztk/scanner.h include/ztk/zone.h include/ztk/findings.h \
	include/ztk/lint.h include/ztk/dnssec.h include/ztk/keydb.h include/ztk/keystore.h include/ztk/dscheck.h include/ztk/sign.h include/ztk/dnssec_check.h include/ztk/zonemd.h include/ztk/sigcache.h include/ztk/chain.h \
	include/ztk/msg.h include/ztk/resolver.h include/ztk/iterate.h include/ztk/chain_walk.h

LIB_SRC   := $(sort $(wildcard lib/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC   := $(sort $(wildcard cmd/common/*.c))
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
BIN_SRC   := $(sort $(wildcard cmd/ztk-*.c))
BINS      := $(BIN_SRC:cmd/%.c=$(BUILD)/bin/%)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNITS     := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC  := $(sort $(wildcard tests/tools/*.c))
TOOLS     := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/%)
HDR_TESTS := $(PUBLIC_HEADERS:include/ztk/%.h=$(BUILD)/hdr/%.o)

STATIC    := $(BUILD)/libztk.a
SHARED    := $(BUILD)/libztk.so.0

.PHONY: all check unit bats install clean fuzz headers style
all: $(STATIC) $(SHARED) $(BINS) $(TOOLS) $(UNITS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib -MMD -MP -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SHARED): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libztk.so.0 $(LDFLAGS) -o $@ $^ $(LIBS)
	ln -sf libztk.so.0 $(BUILD)/libztk.so

$(BUILD)/bin/%: $(BUILD)/cmd/%.o $(CLI_OBJ) $(STATIC)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(CLI_OBJ) $(STATIC) $(LIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $(STATIC)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(STATIC) $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/tools/%.o $(STATIC)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(STATIC) $(LIBS)

# Every public header must compile on its own.
$(BUILD)/hdr/%.o: include/ztk/%.h
	@mkdir -p $(@D)
	echo '#include <ztk/$*.h>' | $(CC) $(CPPFLAGS) $(CFLAGS) -x c -c - -o $@
headers: $(HDR_TESTS)

style:
	@sh tests/style.sh

unit: $(UNITS)
	@sh tests/run-unit.sh $(UNITS)

bats: all
	@ZTK_BUILD=$(BUILD) bats --tap tests/bats

# The suite for this build only; tests/all.sh runs it for both builds,
# installs what is missing and adds the fuzzer.
check: all headers style unit
	@ZTK_BUILD=$(BUILD) sh tests/docs-sync.sh
	@ZTK_BUILD=$(BUILD) sh tests/roundtrip.sh
	@sh tests/check-rrtypes.sh
	@ZTK_BUILD=$(BUILD) bats tests/bats

FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
# The library is compiled once for all fuzzers (libFuzzer's coverage
# hooks, ASan, UBSan), then each target is linked against those objects.
FUZZ_CFLAGS := -std=c17 -g -O1 -Iinclude -Ilib $(P11KIT_CFLAGS) -D_GNU_SOURCE \
	-DZTK_VERSION=\"$(VERSION)\"
FUZZ_OBJ := $(LIB_SRC:lib/%.c=$(BUILD)/fuzz/lib/%.o)
fuzz: $(FUZZ_TARGETS)
$(BUILD)/fuzz/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(LIBS)
-include $(FUZZ_OBJ:.o=.d)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include/ztk $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(STATIC) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SHARED) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libztk.so.0 $(DESTDIR)$(PREFIX)/lib/libztk.so
	install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(PREFIX)/include/ztk/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' ztk.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/ztk.pc
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	for f in completions/bash/*; do install -m 644 $$f \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/; done
	for f in completions/zsh/*; do install -m 644 $$f \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/; done

clean:
	rm -rf build build-san

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
