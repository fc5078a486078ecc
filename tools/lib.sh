# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers of the XTCP tools: where things are, which kernels exist.
# Sourced, never run. Every path it returns is absolute.

XTCP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
XTCP_BUILD=${XTCP_BUILD:-$XTCP_TOP/.build}
XTCP_CACHE=${XTCP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xtcp}

xtcp_die() {
	echo "xtcp: $*" >&2
	exit 1
}

xtcp_log() {
	echo "xtcp: $*" >&2
}

# The Debian headers tree the module builds against: $KDIR if set, else the running
# kernel's build directory, else the newest installed linux-headers-*-amd64.
xtcp_kdir() {
	local d

	if [ -n "${KDIR:-}" ]; then
		echo "$KDIR"
		return
	fi
	d=/lib/modules/$(uname -r)/build
	if [ -e "$d/Makefile" ]; then
		(cd "$d" && pwd -P)
		return
	fi
	d=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] || xtcp_die "no kernel headers: run 'make deps' (as root) or set KDIR"
	echo "$d"
}

# The release string (uname -r) of a configured kernel tree. UTS_RELEASE, not
# include/config/kernel.release: Debian's headers put the upstream version there.
xtcp_kdir_release() {
	local f=$1/include/generated/utsrelease.h

	[ -r "$f" ] || xtcp_die "$1 is not a configured kernel tree (no $f)"
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$f"
}

# The stock kernel the VM boots: the one whose headers the module was built with.
xtcp_stock_kernel() {
	local rel

	rel=$(xtcp_kdir_release "$(xtcp_kdir)")
	[ -r "/boot/vmlinuz-$rel" ] ||
		xtcp_die "no /boot/vmlinuz-$rel for the headers in $(xtcp_kdir): run 'make deps'"
	[ -d "/lib/modules/$rel/kernel" ] || xtcp_die "no /lib/modules/$rel: run 'make deps'"
	echo "$rel"
}

# Debian's linux-source: the tarball and its package version (the cache key's first half).
xtcp_source_tarball() {
	local t

	t=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	[ -n "$t" ] || xtcp_die "no /usr/src/linux-source-*.tar.xz: run 'make deps'"
	echo "$t"
}

xtcp_source_version() {
	local pkg

	pkg=$(basename "$(xtcp_source_tarball)" .tar.xz)
	dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || echo unknown
}

# The unpacked source tree (for the debug kernel, kselftest headers and checkpatch).
xtcp_source_dir() {
	local tarball ver dir

	tarball=$(xtcp_source_tarball)
	ver=$(xtcp_source_version)
	dir=$XTCP_CACHE/src/$(basename "$tarball" .tar.xz)-$ver
	if [ ! -e "$dir/.complete" ]; then
		mkdir -p "$XTCP_CACHE/src"
		(
			flock 9
			if [ ! -e "$dir/.complete" ]; then
				xtcp_log "unpacking $tarball into $dir"
				rm -rf "$dir" "$dir.tmp"
				mkdir -p "$dir.tmp"
				tar -xf "$tarball" -C "$dir.tmp" --strip-components=1
				touch "$dir.tmp/.complete"
				mv "$dir.tmp" "$dir"
			fi
		) 9>"$XTCP_CACHE/src/.lock"
	fi
	echo "$dir"
}

# The debug kernel's build directory: keyed by source version and config fragment.
xtcp_debug_key() {
	{
		xtcp_source_version
		cat "$XTCP_TOP/tools/debug-kernel.config"
		cat "$XTCP_TOP/tools/xtcp-debug-kernel"
	} | sha256sum | cut -c1-16
}

xtcp_debug_dir() {
	echo "$XTCP_CACHE/debug-kernel-$(xtcp_debug_key)"
}
