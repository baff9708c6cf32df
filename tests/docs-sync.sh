#!/bin/sh
# docs-sync.sh - check that the manual pages and the shell completions
# describe what the programs actually accept.
#
# For every program $ZTK_BUILD/bin/ztk-* (ZTK_BUILD defaults to "build"):
#   - every option printed by --help has an entry in the OPTIONS section of
#     man/<prog>.1 (".It Fl -name ..." for --name, ".It Fl x ..." for -x),
#     in the same order, and that section has no entry for an option the
#     program does not have;
#   - every option is offered by completions/bash/<prog> (sourced and run
#     in bash) and has an _arguments spec in completions/zsh/_<prog>;
#   - if the program has --list-checks, every check it lists has an
#     ".It Cm <id>" entry in the CHECKS section of the man page, and that
#     section names no other check; and the bash completion offers them all;
#   - if the program has --list-commands (a program with subcommands):
#     every command it lists has an ".It Cm <name> ..." item in the outer
#     list of the COMMANDS section, in the same order, and that list names
#     no other command; every option that "<prog> <command> --help" prints
#     has an ".It Fl ..." line inside that command's item (up to the next
#     item of the same list; nested lists belong to the item), in the same
#     order, and the item documents no option the command lacks; the bash
#     completion offers every command after "<prog>" and every option of a
#     command after "<prog> <command> -"; and the zsh completion has a
#     "<name>:description" item for every command and an _arguments spec
#     for every option of every command;
#   - mandoc -Tlint finds no warning in the page (when mandoc is installed).
#
# Run from anywhere:  sh tests/docs-sync.sh   (exit 0: in sync, 1: not).

BUILD=${ZTK_BUILD:-build}
root=$(cd "$(dirname "$0")/.." && pwd) || exit 1
cd "$root" || exit 1

nerr=0
nbins=0

fail() {
	printf 'docs-sync: %s\n' "$*" >&2
	nerr=$((nerr + 1))
}

# The lines of section $2 of man page $1, up to the next ".Sh".
section() {
	awk -v sh=".Sh $2" '
	    $0 == sh { on = 1; next }
	    on && /^\.Sh / { exit }
	    on' "$1"
}

# The options of a --help text $1: long names (after "--") with $2 = long,
# short letters with $2 = short, one a line.  Option lines look like
# "  -x, --name=ARG  text" or "      --name  text".
help_opts() {
	if [ "$2" = long ]; then
		printf '%s\n' "$1" | sed -n \
		    's/^  *\(-[A-Za-z0-9], \)\{0,1\}--\([A-Za-z0-9][A-Za-z0-9-]*\).*/\2/p'
	else
		printf '%s\n' "$1" | sed -n 's/^  *-\([A-Za-z0-9]\), --.*/\1/p'
	fi
}

# Check that the man page lines $3 (the OPTIONS section, or one command's
# item in COMMANDS) document exactly the long options $4 and the short
# options $5 that "$6" prints, in the same order: ".It Fl -name ..." for
# --name (also as ".It Fl x , Fl -name ..."), ".It Fl x ..." for -x.  $1
# is the page, $2 the place for messages ("OPTIONS").
check_optlist() {
	co_man=$1 co_where=$2 co_text=$3 co_longs=$4 co_shorts=$5 co_what=$6
	co_before=$nerr
	for co_o in $co_longs; do
		printf '%s\n' "$co_text" |
		    grep -Eq -e "^\\.It (.* )?Fl -$co_o( |\$)" ||
		    fail "$co_man: option --$co_o is not documented" \
			"(no '.It Fl -$co_o' line in $co_where)"
	done
	for co_s in $co_shorts; do
		printf '%s\n' "$co_text" |
		    grep -Eq -e "^\\.It (.* )?Fl $co_s( |\$)" ||
		    fail "$co_man: option -$co_s is not documented" \
			"(no '.It Fl $co_s' line in $co_where)"
	done
	co_documented=$(printf '%s\n' "$co_text" | sed -n \
	    's/^\.It .*Fl -\([A-Za-z0-9][A-Za-z0-9-]*\).*/\1/p')
	for co_o in $co_documented; do
		printf '%s\n' "$co_longs" | grep -Fqx -e "$co_o" ||
		    fail "$co_man: $co_where documents --$co_o, which" \
			"$co_what does not list"
	done
	if [ "$nerr" -eq "$co_before" ] &&
	    [ "$co_documented" != "$co_longs" ]; then
		fail "$co_man: $co_where is not in the order of $co_what:" \
		    "$(printf '%s\n' "$co_longs" | tr '\n' ' ')"
	fi
}

# The COMMANDS section of man page $1, one line of output per line of the
# items of its outer list: "=name" for an item ".It Cm name ..." ("=?" for
# an item of another form), then "name<TAB>line" for each line of the
# item's body, nested lists included.
command_items() {
	section "$1" COMMANDS | awk '
	    /^\.Bl([ \t]|$)/ { depth++ }
	    depth == 1 && /^\.It([ \t]|$)/ {
		cur = ($2 == "Cm" && NF >= 3) ? $3 : "?"
		print "=" cur
		next
	    }
	    /^\.El([ \t]|$)/ { if (--depth <= 0) cur = "" }
	    cur != "" { print cur "\t" $0 }'
}

# What the bash completion file $1 for program $2 offers when the words
# "$3" ... are on the command line, the last one being completed; one a
# line.  The program is run as "$3", so check names come from the build.
bash_complete() {
	bash -c '
	    . "$1" || exit 1
	    f=$(complete -p "$2" | sed -n "s/.*-F \([^ ]*\).*/\1/p")
	    [ -n "$f" ] || { echo "no complete -F for $2" >&2; exit 1; }
	    shift 2
	    COMP_WORDS=("$@")
	    COMP_CWORD=$(($# - 1))
	    COMPREPLY=()
	    "$f"
	    printf "%s\n" "${COMPREPLY[@]}"' sh "$@" 2>&1
}

for bin in "$BUILD"/bin/ztk-*; do
	if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
		continue
	fi
	nbins=$((nbins + 1))
	prog=${bin##*/}
	man=man/$prog.1
	bashc=completions/bash/$prog
	zshc=completions/zsh/_$prog

	if ! help=$("$bin" --help 2>&1); then
		fail "$prog --help failed"
		continue
	fi
	longs=$(help_opts "$help" long)
	shorts=$(help_opts "$help" short)
	if [ -z "$longs" ]; then
		fail "$prog --help lists no long options; cannot check it"
		continue
	fi

	missing=0
	for f in "$man" "$bashc" "$zshc"; do
		if [ ! -f "$f" ]; then
			fail "$prog: $f is missing"
			missing=1
		fi
	done
	[ "$missing" -eq 0 ] || continue

	# --- man page: OPTIONS ---
	opts=$(section "$man" OPTIONS)
	if [ -z "$opts" ]; then
		fail "$man: no OPTIONS section"
	else
		check_optlist "$man" OPTIONS "$opts" "$longs" "$shorts" \
		    "$prog --help"
	fi

	# --- completions ---
	# bash: what completing "-" offers ("--name" or "--name=")
	if command -v bash >/dev/null 2>&1; then
		if ! bash -n "$bashc"; then
			fail "$bashc: bash syntax error"
		elif ! offered=$(bash_complete "$bashc" "$prog" "$bin" -)
		then
			fail "$bashc: completing with it fails: $offered"
		else
			for o in $longs; do
				printf '%s\n' "$offered" |
				    grep -Eqx -e "--$o=?" ||
				    fail "$bashc: option --$o is not completed"
			done
			for s in $shorts; do
				printf '%s\n' "$offered" |
				    grep -Fqx -e "-$s" ||
				    fail "$bashc: option -$s is not completed"
			done
		fi
	else
		echo "docs-sync: no bash; $bashc not checked" >&2
	fi
	# zsh: an _arguments spec for each: '--name[', '--name=[',
	# {-x,--name}, {-x+,--name=}
	if command -v zsh >/dev/null 2>&1; then
		zsh -n "$zshc" || fail "$zshc: zsh syntax error"
	fi
	for o in $longs; do
		grep -Eq -e "--$o(=?'?\[|=?\})" "$zshc" ||
		    fail "$zshc: option --$o is not completed"
	done
	for s in $shorts; do
		grep -Eq -e "\{-$s\+?," "$zshc" ||
		    fail "$zshc: option -$s is not completed"
	done

	# --- checks ---
	if printf '%s\n' "$longs" | grep -Fqx list-checks; then
		if ! ids=$("$bin" --list-checks | awk '{ print $1 }') ||
		    [ -z "$ids" ]; then
			fail "$prog --list-checks failed or listed nothing"
		else
			checks=$(section "$man" CHECKS)
			[ -n "$checks" ] || fail "$man: no CHECKS section"
			for id in $ids; do
				printf '%s\n' "$checks" |
				    grep -Fqx -e ".It Cm $id" ||
				    fail "$man: check $id is not documented" \
					"(no '.It Cm $id' line in CHECKS)"
			done
			for id in $(printf '%s\n' "$checks" |
			    sed -n 's/^\.It Cm \([^ ]*\)$/\1/p'); do
				printf '%s\n' "$ids" | grep -Fqx -e "$id" ||
				    fail "$man: CHECKS documents $id, which" \
					"$prog --list-checks does not list"
			done
			# the bash completion must offer every check, read
			# from the program itself
			# (a failure to complete was reported above)
			if command -v bash >/dev/null 2>&1 &&
			    offered=$(bash_complete "$bashc" "$prog" \
			    "$bin" --enable ""); then
				for id in $ids; do
					printf '%s\n' "$offered" |
					    grep -Fqx -e "$id" ||
					    fail "$bashc: --enable does not" \
						"offer check $id"
				done
			fi
		fi
	fi

	# --- commands ---
	if printf '%s\n' "$longs" | grep -Fqx list-commands; then
		if ! cmds=$("$bin" --list-commands | awk '{ print $1 }') ||
		    [ -z "$cmds" ]; then
			fail "$prog --list-commands failed or listed nothing"
			cmds=
		fi
	else
		cmds=
	fi
	if [ -n "$cmds" ]; then
		# man page: the outer list of COMMANDS
		items=$(command_items "$man")
		heads=$(printf '%s\n' "$items" | sed -n 's/^=//p')
		before=$nerr
		if [ -z "$heads" ]; then
			fail "$man: no COMMANDS section with an '.It Cm name'" \
			    "item for each command"
		else
			for c in $cmds; do
				printf '%s\n' "$heads" | grep -Fqx -e "$c" ||
				    fail "$man: command $c is not documented" \
					"(no '.It Cm $c' item in COMMANDS)"
			done
			for h in $heads; do
				if [ "$h" = "?" ]; then
					fail "$man: COMMANDS has an item that" \
					    "is not '.It Cm name ...'"
				elif ! printf '%s\n' "$cmds" |
				    grep -Fqx -e "$h"; then
					fail "$man: COMMANDS documents $h," \
					    "which $prog --list-commands" \
					    "does not list"
				fi
			done
			if [ "$nerr" -eq "$before" ] && [ "$heads" != "$cmds" ]
			then
				fail "$man: COMMANDS is not in the order of" \
				    "$prog --list-commands (or names a" \
				    "command twice):" \
				    "$(printf '%s\n' "$cmds" | tr '\n' ' ')"
			fi
		fi

		# bash: "PROG <TAB>" offers every command
		bash_ok=0
		if command -v bash >/dev/null 2>&1 && bash -n "$bashc" &&
		    offered=$(bash_complete "$bashc" "$prog" "$bin" ""); then
			bash_ok=1
			for c in $cmds; do
				printf '%s\n' "$offered" | grep -Fqx -e "$c" ||
				    fail "$bashc: command $c is not completed"
			done
		fi
		# zsh: a "name:description" item for _describe
		for c in $cmds; do
			grep -Eq -e "(^|[[:space:]'\"(])$c:" "$zshc" ||
			    fail "$zshc: command $c is not completed" \
				"(no '$c:description' item)"
		done

		for c in $cmds; do
			if ! chelp=$("$bin" "$c" --help 2>&1); then
				fail "$prog $c --help failed"
				continue
			fi
			clongs=$(help_opts "$chelp" long)
			cshorts=$(help_opts "$chelp" short)
			if [ -z "$clongs" ]; then
				fail "$prog $c --help lists no long options;" \
				    "cannot check it"
				continue
			fi
			# man page: inside the command's item
			if printf '%s\n' "$heads" | grep -Fqx -e "$c"; then
				body=$(printf '%s\n' "$items" |
				    awk -v c="$c" 'index($0, c "\t") == 1 {
					print substr($0, length(c) + 2) }')
				check_optlist "$man" "the COMMANDS item of $c" \
				    "$body" "$clongs" "$cshorts" \
				    "$prog $c --help"
			fi
			# bash: "PROG CMD --<TAB>" and "PROG CMD -<TAB>"
			if [ "$bash_ok" -eq 1 ]; then
				if ! offered=$(bash_complete "$bashc" "$prog" \
				    "$bin" "$c" --); then
					fail "$bashc: completing '$prog $c --'" \
					    "fails: $offered"
				else
					for o in $clongs; do
						printf '%s\n' "$offered" |
						    grep -Eqx -e "--$o=?" ||
						    fail "$bashc: option --$o" \
							"of $c is not completed"
					done
				fi
				if [ -n "$cshorts" ] &&
				    offered=$(bash_complete "$bashc" "$prog" \
				    "$bin" "$c" -); then
					for s in $cshorts; do
						printf '%s\n' "$offered" |
						    grep -Fqx -e "-$s" ||
						    fail "$bashc: option -$s" \
							"of $c is not completed"
					done
				fi
			fi
			# zsh: an _arguments spec for each option
			for o in $clongs; do
				grep -Eq -e "--$o(=?'?\[|=?\})" "$zshc" ||
				    fail "$zshc: option --$o of $c is not" \
					"completed"
			done
			for s in $cshorts; do
				grep -Eq -e "\{-$s\+?," "$zshc" ||
				    fail "$zshc: option -$s of $c is not" \
					"completed"
			done
		done
	fi

	# --- the page itself ---
	if command -v mandoc >/dev/null 2>&1; then
		lint=$(mandoc -Tlint -Wwarning "$man" 2>&1)
		[ -z "$lint" ] || fail "$man: mandoc -Tlint warns:
$lint"
	fi
done

if [ "$nbins" -eq 0 ]; then
	fail "no programs in $BUILD/bin/ztk-*; run make first" \
	    "(or set ZTK_BUILD)"
fi
if [ "$nerr" -ne 0 ]; then
	echo "docs-sync: FAILED: $nerr mismatch(es) between the programs and" \
	    "man/ or completions/" >&2
	exit 1
fi
echo "docs-sync: ok ($nbins program(s))"
