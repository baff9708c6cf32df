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
	# The option lines of --help: "  -x, --name=ARG  text" or
	# "      --name  text".
	longs=$(printf '%s\n' "$help" | sed -n \
	    's/^  *\(-[A-Za-z0-9], \)\{0,1\}--\([A-Za-z0-9][A-Za-z0-9-]*\).*/\2/p')
	shorts=$(printf '%s\n' "$help" | sed -n \
	    's/^  *-\([A-Za-z0-9]\), --.*/\1/p')
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
	before=$nerr
	if [ -z "$opts" ]; then
		fail "$man: no OPTIONS section"
	else
		for o in $longs; do
			printf '%s\n' "$opts" |
			    grep -Eq -e "^\\.It (.* )?Fl -$o( |\$)" ||
			    fail "$man: option --$o is not documented" \
				"(no '.It Fl -$o' line in OPTIONS)"
		done
		for s in $shorts; do
			printf '%s\n' "$opts" |
			    grep -Eq -e "^\\.It (.* )?Fl $s( |\$)" ||
			    fail "$man: option -$s is not documented" \
				"(no '.It Fl $s' line in OPTIONS)"
		done
		documented=$(printf '%s\n' "$opts" | sed -n \
		    's/^\.It .*Fl -\([A-Za-z0-9][A-Za-z0-9-]*\).*/\1/p')
		for o in $documented; do
			printf '%s\n' "$longs" | grep -Fqx -e "$o" ||
			    fail "$man: OPTIONS documents --$o, which" \
				"$prog --help does not list"
		done
		if [ "$nerr" -eq "$before" ] && [ "$documented" != "$longs" ]
		then
			fail "$man: OPTIONS is not in the order of $prog" \
			    "--help:" "$(printf '%s\n' "$longs" | tr '\n' ' ')"
		fi
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
