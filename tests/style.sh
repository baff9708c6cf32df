#!/bin/sh
# Banned functions in our C code: unsafe or locale/errno traps.
cd "$(dirname "$0")/.."
bad=$(grep -nE '\b(atoi|atol|sprintf|vsprintf|strcpy|strcat|strtok|gets|strncpy)\s*\(' \
	lib/*.c cmd/*.c cmd/common/*.c include/ztk/*.h 2>/dev/null)
if [ -n "$bad" ]; then
	echo "banned function used:"; echo "$bad"; exit 1
fi
exit 0
