# SPDX-License-Identifier: GPL-2.0
# xenlab dom0 library: TAP checks, waits, guest control.  Sourced by
# /init and by every scenario (tests/lab/*), which run in dom0 as
#   timeout T sh -c '. /lab/lib.sh; . /lab/tests/NAME'
# Markers on the console (parsed by scripts/xenlab on the host):
#   @@CHECK ok DESC | @@CHECK not ok DESC, @@DIAG TEXT, @@STAGE TEXT,
#   @@FILE NAME ... @@L LINE ... @@ENDFILE, @@DONE

. /lab/lib-common.sh
OUT=/lab/out
mkdir -p $OUT

BACKEND=$(kopt be stock)
FRONTEND=$(kopt fe stock)
BQ=$(kopt bq 2)
FQ=$(kopt fq 2)
GUESTS=$(kopt guests 1)
VCPUS=$(kopt vcpus 2)

stage() { echo "@@STAGE $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/@@DIAG /'; }
pass() { echo "@@CHECK ok $*"; }
fail() { echo "@@CHECK not ok $*"; }

# ok COND_RC DESC [DIAG...] - a check from an exit status
ok() {
	local rc=$1 desc=$2
	shift 2
	if [ "$rc" -eq 0 ]; then
		pass "$desc"
	else
		fail "$desc"
		[ $# -gt 0 ] && diag "$@"
	fi
	return "$rc"
}

# check DESC CMD... - run CMD, a check on its exit status; its output is
# shown (last 15 lines) when it fails
check() {
	local desc=$1 rc
	shift
	"$@" >/tmp/check.out 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$desc"
	else
		fail "$desc"
		diag "command: $* (exit $rc)"
		tail -n 15 /tmp/check.out | sed 's/^/@@DIAG   /'
	fi
	return $rc
}

# wait_for WHAT SECONDS CMD... - retry CMD until it succeeds; on timeout say
# what was waited for and return 1
wait_for() {
	local what=$1 limit=$2 end
	shift 2
	end=$(($(now) + limit))
	while ! "$@" >/dev/null 2>&1; do
		if [ "$(now)" -ge $end ]; then
			echo "timed out after $limit s waiting for $what" >&2
			return 1
		fi
		usleep 200000
	done
	return 0
}

# --- guests ----------------------------------------------------------------

gname() { echo "g$1"; }
gdomid() { xl domid "g$1" 2>/dev/null; }
# gsubnet I - the 169.254.S prefix of guest I's point-to-point link
gsubnet() {
	local dom
	dom=$(gdomid "$1") || return 1
	echo "169.254.$((dom % 250 + 1))"
}
gip() { echo "$(gsubnet "$1").2"; }
hip() { echo "$(gsubnet "$1").1"; }
gvif() { echo "vif$(gdomid "$1").0"; }
fe_path() { echo "/local/domain/$(gdomid "$1")/device/vif/0"; }
be_path() { echo "/local/domain/0/backend/vif/$(gdomid "$1")/0"; }

xs_is() { [ "$(xenstore-read "$1" 2>/dev/null)" = "$2" ]; }

gcfg() {
	cat <<EOC
name = "$(gname "$1")"
type = "pv"
kernel = "/lab/vmlinux"
ramdisk = "/lab/guest.cpio"
cmdline = "console=hvc0 rdinit=/init loglevel=5 xenlab.name=$(gname "$1") xenlab.fe=$FRONTEND xenlab.fq=$FQ"
memory = 224
vcpus = $VCPUS
vif = [ "mac=00:16:3e:4c:00:$(printf %02x $(($1 + 1))),script=/lab/vif-lab" ]
on_crash = "preserve"
EOC
}

# gexec I SECONDS CMD... - run CMD (sh) in guest I through XenStore, print
# its output, return its exit status (124 on timeout, 125 no answer)
gexec() {
	local i=$1 t=$2 d seq n grc k
	shift 2
	d=/local/domain/$(gdomid "$i")/data
	seq=$(($(cat /tmp/gseq.$i 2>/dev/null || echo 0) + 1))
	echo $seq >/tmp/gseq.$i
	xenstore-rm $d/res 2>/dev/null
	xenstore-write $d/cmd "$(printf '%s\n' "$*" | base64 -w 0)" \
		$d/timeout "$t" $d/req $seq || return 125
	if ! wait_for "guest g$i to answer '$*'" $((t + 15)) \
		xs_is $d/res/seq $seq; then
		echo "gexec: no answer from g$i within $((t + 15)) s to: $*"
		return 125
	fi
	n=$(xenstore-read $d/res/n)
	grc=$(xenstore-read $d/res/rc)
	k=0
	while [ $k -lt "$n" ]; do
		xenstore-read $d/res/o$k
		k=$((k + 1))
	done | tr -d '\n' | base64 -d
	return "$grc"
}

# gstart I - create guest I; gready I - wait for its agent and vif
gstart() {
	gcfg "$1" >/lab/g$1.cfg
	timeout 90 xl create -q /lab/g$1.cfg >$OUT/xl-create-g$1.log 2>&1
}

gready() {
	wait_for "guest g$1 agent (data/agent = ready)" 90 \
		xs_is "/local/domain/$(gdomid "$1")/data/agent" ready
}

# gconnected I - both xenbus ends of g$I's vif in state 4 (Connected)
gconnected() {
	xs_is "$(fe_path "$1")/state" 4 && xs_is "$(be_path "$1")/state" 4
}

# gnet I - address the guest's end of the point-to-point link
gnet() {
	gexec "$1" 20 "ip link set eth0 up && ip addr add $(gip "$1")/24 dev eth0"
}

# --- per-queue counters -------------------------------------------------------

# qstats DEV - lines "tx N COUNT" and "rx N COUNT", one per queue and
# direction: packets from `ethtool -S` when the driver names per-queue
# counters, else interrupts per queue from /proc/interrupts (stock drivers
# name their event channel irqs DEV-qN-tx / DEV-qN-rx, or DEV-qN shared).
qstats() {
	local dev=$1
	ethtool -S "$dev" 2>/dev/null | awk '
	{
		k = tolower($1); sub(/:$/, "", k); v = $2
		if (k !~ /pack|pkt/) next
		if (k ~ /(err|drop|bytes)/) next
		dir = ""
		if (k ~ /(^|[^a-z])tx/) dir = "tx"; else if (k ~ /(^|[^a-z])rx/) dir = "rx"
		if (dir == "") next
		if (match(k, /(queue|q)[-_]?[0-9]+/) || match(k, /(tx|rx)[-_]?[0-9]+/)) {
			s = substr(k, RSTART, RLENGTH); gsub(/[^0-9]/, "", s)
			c[dir " " s] += v; found = 1
		}
	}
	END { if (found) for (q in c) print q, c[q] }' | sort >/tmp/qs.$$
	if [ ! -s /tmp/qs.$$ ]; then
		awk -v dev="$dev" '
		{
			name = $NF; n = 0
			for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i; else break
			if (index(name, dev "-q") != 1) next
			rest = substr(name, length(dev) + 3)
			q = rest; sub(/-.*/, "", q)
			if (q !~ /^[0-9]+$/) next
			if (rest ~ /-tx$/) c["tx " q] += n
			else if (rest ~ /-rx$/) c["rx " q] += n
			else { c["tx " q] += n; c["rx " q] += n }
		}
		END { for (k in c) print k, c[k] }' /proc/interrupts | sort >/tmp/qs.$$
	fi
	cat /tmp/qs.$$
	rm -f /tmp/qs.$$
}

# qdelta BEFORE AFTER - per queue increase, "tx N DELTA"
qdelta() {
	awk 'NR == FNR { b[$1 " " $2] = $3; next }
	     { print $1, $2, $3 - b[$1 " " $2] }' "$1" "$2"
}
