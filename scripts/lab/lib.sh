# SPDX-License-Identifier: GPL-2.0
# xenlab dom0 library: TAP checks, waits, guest control.  Sourced by
# /init and by every scenario (tests/lab/*), which run in dom0 as
#   timeout T sh -c '. /lab/lib.sh; . /lab/tests/NAME'
# Markers on the console (parsed by scripts/xenlab on the host):
#   @@CHECK ok DESC | @@CHECK not ok DESC, @@DIAG TEXT, @@STAGE TEXT,
#   @@FILE NAME ... @@L LINE ... @@ENDFILE, @@EXPECT LOG LINE, @@DONE

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
# keepalive PID LABEL - a line every 60 s while PID runs, for cases that
# last longer than xenlab's --stall (make soak's hour-long random cases);
# run it in the background: it ends with PID
keepalive() {
	_ka=0
	while sleep 60 && kill -0 "$1" 2>/dev/null; do
		_ka=$((_ka + 60))
		diag "$2: still running after $_ka s"
	done
}
# show - stdin (or the arguments) printed plainly by the host
show() {
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" | sed 's/^/@@SHOW /'
	else
		sed 's/^/@@SHOW /'
	fi
}
fail() { echo "@@CHECK not ok $*"; }
# expect_splat LOG LINE - lines of the host's log file LOG (a regex for
# its name, e.g. 'dmesg-g5\.log') matching the regex LINE are what a
# scenario provoked on purpose (a hostile peer's warning), not splats;
# the host leaves them out of that file's splat check and says how many
expect_splat() { printf '@@EXPECT %s %s\n' "$1" "$2"; }

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

# iperf3 ARGS... - iperf3 with a time limit of its -t (default 10) plus a
# minute.  A client whose peer stops answering waits for the results
# exchange for ever; a scenario must fail then, not hang silently.
iperf3() {
	local a t=10 prev=
	for a in "$@"; do
		[ "$prev" = -t ] && t=$a
		prev=$a
	done
	case $t in
	''|*[!0-9]*) t=10 ;;
	esac
	timeout $((t + 60)) iperf3 "$@"
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
cmdline = "console=hvc0 rdinit=/init loglevel=5 xenlab.name=$(gname "$1") xenlab.fe=${GFE:-$FRONTEND} xenlab.fq=${GFQ:-$FQ}$(kopt gkargs '' | tr '+~' ' ,' | sed 's/^./ &/')"
memory = $(kopt gmem 224)
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

# gcrashed I - guest I is in the crashed state (on_crash = preserve)
gcrashed() {
	xl list "g$1" 2>/dev/null | awk 'NR == 2 { exit($5 ~ /c/ ? 0 : 1) }'
}

# gboot I - wait until guest I's agent answers (0), the guest crashes (2)
# or 90 s pass (1)
gboot() {
	local end d
	end=$(($(now) + 90))
	d=/local/domain/$(gdomid "$1")/data
	while ! xs_is $d/agent ready; do
		if gcrashed "$1"; then
			echo "guest g$1 crashed while booting" >&2
			return 2
		fi
		if [ "$(now)" -ge $end ]; then
			echo "timed out after 90 s waiting for guest g$1 agent" \
				"(data/agent = ready)" >&2
			return 1
		fi
		usleep 300000
	done
}

# gcreate I - xl create guest I (netfront max_queues=${GFQ:-$FQ})
gcreate() {
	gcfg "$1" >/lab/g$1.cfg
	timeout 90 xl create -q /lab/g$1.cfg >>$OUT/xl-create-g$1.log 2>&1
}

# gwait I - wait for guest I's agent.  A guest kernel that crashes while
# booting, before netfront is loaded, has nothing to do with the drivers
# under test (Debian's kernel under TCG very rarely trips over its own
# int3 text patching); it is kept as boot-crash-gI-N.txt, said in a diag,
# and booted again.
gwait() {
	local i=$1 try con d
	con=/var/log/xen/console/guest-g$i.log
	for try in 1 2 3; do
		gboot "$i"
		case $? in
		0) return 0 ;;
		1) tail -n 20 $con 2>/dev/null; return 1 ;;
		esac
		d=/local/domain/$(gdomid "$i")/data
		if xenstore-exists $d/netfront || [ $try = 3 ]; then
			tail -n 40 $con 2>/dev/null
			return 1
		fi
		sleep 1
		mv $con $OUT/boot-crash-g$i-$try.txt
		diag "g$i crashed while booting, before netfront was loaded:" \
			"kept as boot-crash-g$i-$try.txt; booting it again"
		timeout 60 xl destroy "g$i"
		wait_for "crashed g$i to go away" 30 sh -c "! xl list g$i"
		kill -HUP "$(cat /run/xenconsoled.pid)" 2>/dev/null
		gcreate "$i" || return 1
	done
	return 1
}

# gstart I - gcreate, then gwait
gstart() {
	gcreate "$1" && gwait "$1"
}

# gconnected I - both xenbus ends of g$I's vif in state 4 (Connected)
gconnected() {
	xs_is "$(fe_path "$1")/state" 4 && xs_is "$(be_path "$1")/state" 4
}

# gsettled I - g$I's vif is back from any Reconfiguring round an XDP
# attach starts for the headroom: the frontend Connected, and the backend
# too (ours comes back; Debian's stays Reconfigured, 8, until the next
# connect)
gsettled() {
	xs_is "$(fe_path "$1")/state" 4 &&
		{ xs_is "$(be_path "$1")/state" 4 ||
		  { [ "$BACKEND" = stock ] && xs_is "$(be_path "$1")/state" 8; }; }
}

# grxsum I NAME - g$I's eth0 counter rxN_NAME summed over its queues
# (our netfront's ethtool -S)
grxsum() {
	gexec "$1" 60 "ethtool -S eth0" |
		awk -v k="_$2:" 'index($1, k) && $1 ~ /^rx[0-9]+_/ { s += $2 } END { print s + 0 }'
}

# gxdp_native I DEV - g$I's DEV runs an XDP program in driver mode (`ip
# link` says "xdp"; "xdpgeneric" would be the skb mode)
gxdp_native() {
	gexec "$1" 60 "/usr/sbin/ip link show $2" >/tmp/gxdp-link 2>&1
	head -n 1 /tmp/gxdp-link | grep -q ' xdp ' &&
		grep -q 'prog/xdp' /tmp/gxdp-link
}

# gnet I - address the guest's end of the point-to-point link
gnet() {
	gexec "$1" 20 "/usr/sbin/ip link set eth0 up && /usr/sbin/ip addr add $(gip "$1")/24 dev eth0"
}


# gup I - after gstart: agent, netfront, vif connected, eth0 addressed
gup() {
	local i=$1 q=${GFQ:-$FQ}
	check "guest g$i: netfront loaded ($FRONTEND, max_queues=$q)" \
			xs_is "/local/domain/$(gdomid $i)/data/netfront" \
			"loaded $FRONTEND max_queues=$q" &&
		check "guest g$i: vif connected (state 4 both ends)" \
			wait_for "g$i vif xenbus state 4 on both ends" 60 \
			gconnected $i &&
		check "guest g$i: eth0 addressed $(gip $i)/24" gnet $i
}

# gdown I - take guest I apart with checks: its dmesg, the vif detached
# (both xenbus dirs gone), the domain destroyed and really gone (a domain
# that lingers still has pages mapped or granted somewhere)
gdown() {
	local i=$1 dom
	dom=$(gdomid $i) || return 0
	if gcrashed $i || ! xs_is /local/domain/$dom/data/agent ready; then
		# Nothing answers in there: no dmesg, no clean detach.
		check "teardown g$i: xl destroy (guest never came up or crashed)" \
			timeout 60 xl destroy g$i
		check "teardown g$i: domain $dom gone (nothing left mapped)" \
			wait_for "domain $dom to disappear from xl list" 30 \
			sh -c "! xl list $dom"
		return
	fi
	gexec $i 20 dmesg >/tmp/dmesg-g$i.before 2>&1
	if [ -n "$(xenstore-ls "$(be_path $i)" 2>/dev/null)" ]; then
		check "teardown g$i: xl network-detach" \
			timeout 60 xl network-detach g$i 0 &&
			check "teardown g$i: vif backend and frontend gone" \
				wait_for "g$i vif xenstore dirs removed" 30 \
				sh -c "! xenstore-exists $(be_path $i) &&
					! xenstore-exists $(fe_path $i)"
	fi
	# The guest's whole log, with what netfront said while detaching (the
	# console log has it too, at loglevel 5 and up).
	if gexec $i 20 dmesg >/tmp/dmesg-g$i.after 2>&1; then
		mv /tmp/dmesg-g$i.after $OUT/dmesg-g$i.log
	else
		mv /tmp/dmesg-g$i.before $OUT/dmesg-g$i.log
	fi
	check "teardown g$i: xl destroy" timeout 60 xl destroy g$i
	check "teardown g$i: domain $dom gone (nothing left mapped)" \
		wait_for "domain $dom to disappear from xl list" 30 \
		sh -c "! xl list $dom"
}

# ll6 - the usable fe80:: address in `ip -6 addr` output on stdin
ll6() { awk '/inet6 fe80::/ && !/tentative/ { sub(/\/.*/, "", $2); print $2; exit }'; }


# fe_grants I - grants our netfront in guest I holds (its debugfs total)
fe_grants() {
	gexec "$1" 30 "mount -t debugfs none /sys/kernel/debug 2>/dev/null
		cat /sys/kernel/debug/xen-netfront/vif-0/queues" |
		awk '/^grants/ { print $2 }'
}

# fe_staged I - staging grants our netfront in guest I says the backend
# maps for it (its txN_staging_grants, summed)
fe_staged() {
	gexec "$1" 10 "ethtool -S eth0" |
		awk '/_staging_grants:/ { s += $2 } END { print s + 0 }'
}

# vif_qsum VIF NAME - dom0's qN_NAME of VIF (our netback), summed over
# its queues; 0 when it has none
vif_qsum() {
	ethtool -S "$1" 2>/dev/null |
		awk -v k="_$2:" 'index($1, k) { s += $2 } END { print s + 0 }'
}

# fe_grants_settled I - fe_grants once our netfront's staging grants are
# in place: with our netback they are listed (and rx staging pages
# claimed) a moment after the connect, so wait until the count the guest
# reports is nonzero and the same twice a second apart (up to 10 s; with
# Debian's netback there are none and nothing is waited for)
fe_grants_settled() {
	local t cur prev=
	if [ "$BACKEND" = ours ]; then
		for t in 1 2 3 4 5 6 7 8 9 10; do
			cur=$(fe_staged "$1")
			[ "${cur:-0}" != 0 ] && [ "$cur" = "$prev" ] && break
			prev=$cur
			sleep 1
		done
	fi
	fe_grants "$1"
}

# procnames - the name of every process, a line each (busybox ps may lack -o)
procnames() { ps -o comm= 2>/dev/null || ps | awk 'NR > 1 { print $NF }'; }

# vifres DEV - how many kthreads and irqs carry DEV in their name (DEV-qN...)
vifres() {
	{
		procnames
		awk '{ print $NF }' /proc/interrupts
	} | grep -c "^\[*$1-"
}

# vifgone DEV - nothing of DEV is left (for wait_for)
vifgone() { [ "$(vifres "$1")" = 0 ]; }

# --- what a guest leaves behind (issue 7) ----------------------------------

# dom0res - dom0 numbers a guest's vif raises while it lives, "NAME VALUE"
# a line: threads (kthreads named vifD.N-...), irqs (event-channel irqs in
# /proc/interrupts, netback's and the toolstack daemons'), and MemAvailable,
# SUnreclaim, VmallocUsed in kB.  Save it before a loop of guests, compare
# after each with guest_clean and after the loop with memback.
dom0res() {
	echo "threads $(procnames | grep -c '^\[*vif[0-9]')"
	echo "irqs $(grep -c 'xen-dyn' /proc/interrupts)"
	awk '/^(MemAvailable|SUnreclaim|VmallocUsed):/ {
		sub(":", "", $1); print $1, $2 }' /proc/meminfo
	# Buffers of TCP sockets (pages): a client killed with its peer gone
	# keeps its unsent data while it retries.
	awk '$1 == "TCP:" { for (i = 2; i < NF; i++)
		if ($i == "mem") print "TCPmem", $(i + 1) * 4 }' /proc/net/sockstat
}
resval() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# xen_dump KEY - press Xen's debug key KEY and leave Xen's console ring,
# with the dump at its end, in /tmp/xen-dump.  The ring as it was before
# the first dump (Xen's boot log, soon pushed out) is kept once in
# $OUT/xl-dmesg-early.log.
xen_dump() {
	[ -f $OUT/xl-dmesg-early.log ] || xl dmesg >$OUT/xl-dmesg-early.log 2>&1
	xl debug-keys "$1" >/dev/null 2>&1 && xl dmesg >/tmp/xen-dump 2>/dev/null
}

# xen_evtchns DOM - how many of dom0's event channels Xen still shows
# bound to domain DOM (interdomain, or unbound and left over from DOM once
# it died), from Xen's own table: the 'e' debug key dumps every domain's
# ports into Xen's console ring, read back with xl dmesg.  "?" when dom0's
# part of the dump is not in the ring.
xen_evtchns() {
	xen_dump e || { echo "?"; return 1; }
	awk -v d="$1" '
	/Event channel information for / {
		in0 = ($0 ~ /for (domain 0|d0):/)
		if (in0) { seen = 1; n = 0 }
		next
	}
	/pressed -> / { in0 = 0 }
	in0 && $0 ~ (" d=" d "( |$)") { n++ }
	END { if (seen) print n + 0; else print "?" }' /tmp/xen-dump
}

# xen_grant_maps DOM - how many of domain DOM's grants dom0 holds now
# (mapped, or pinned by a copy in flight), from Xen's own table: the 'g'
# debug key lists every domain's active grant entries with the domain
# using each, read back with xl dmesg.  A backend that copies packets
# holds only its ring mappings.  "?" when DOM's part of the dump is not in
# the ring.
xen_grant_maps() {
	xen_dump g || { echo "?"; return 1; }
	awk -v d="$1" '
	/grant-table for remote d[0-9]+ / {
		ind = ($0 ~ ("for remote d" d " "))
		if (ind) { seen = 1; n = 0 }
		next
	}
	/pressed -> / { ind = 0 }
	ind && match($0, /\[0x[0-9a-fA-F]+\]/) {
		split(substr($0, RSTART + RLENGTH), f, " ")
		if (f[1] == "0") n++
	}
	END { if (seen) print n + 0; else print "?" }' /tmp/xen-dump
}

# guest_left DOM VIF BEFORE - what domain DOM, which should be gone, still
# holds in dom0 and Xen, a word each (nothing when clean; no Xen dump):
# the domain itself (Xen keeps a dead domain while anything maps its
# pages or grants), the vif netdev, its kthreads and irqs, and dom0's
# vif kthread and event-channel irq counts against the dom0res file BEFORE
guest_left() {
	local n
	xl list "$1" >/dev/null 2>&1 && echo "domain-$1-still-listed"
	[ -e /sys/class/net/"$2" ] && echo "netdev-$2"
	n=$(vifres "$2")
	[ "$n" = 0 ] || echo "$n-kthreads/irqs-of-$2"
	dom0res >/tmp/res.now
	for k in threads irqs; do
		[ "$(resval /tmp/res.now $k)" = "$(resval "$3" $k)" ] ||
			echo "dom0-vif-$k-$(resval /tmp/res.now $k)-not-$(resval "$3" $k)"
	done
}

guest_none() { [ -z "$(guest_left "$@")" ]; }

# guest_clean DOM VIF BEFORE - nothing of domain DOM left: guest_left is
# empty within 30 s, then Xen lists no dom0 event channel bound to DOM
# (a few tries a second apart: each is a dump into Xen's console).  Says
# what is left on stderr.
guest_clean() {
	local t left
	if ! wait_for "domain $1 to leave nothing" 30 guest_none "$@"; then
		echo "left of domain $1: $(guest_left "$1" "$2" "$3" | tr '\n' ' ')" >&2
		return 1
	fi
	for t in 1 2 3 4 5; do
		left=$(xen_evtchns "$1")
		[ "$left" = 0 ] && return 0
		sleep 1
	done
	echo "Xen still lists $left dom0 event channel(s) bound to domain $1" >&2
	return 1
}

# went_down_in_order HOW CONSOLE XLLOG DOM - the end of domain DOM, asked
# by "xl HOW" (HOW: shutdown or reboot), went in order: the guest's init
# took the request and finished (CONSOLE: its console from the request
# on), the kernel halted or restarted, and xl's log XLLOG gives the
# matching reason (0 poweroff, 1 reboot).  Says what is missing on stderr.
went_down_in_order() {
	local what kmsg code
	case $1 in
	shutdown) what=poweroff code=0
		kmsg='reboot: (Power down|Power off not available|System halted)' ;;
	reboot) what=reboot code=1 kmsg='reboot: Restarting system' ;;
	*) echo "went_down_in_order: no such request: $1" >&2; return 2 ;;
	esac
	grep -q "xenlab-init: $what requested, going down in order" "$2" &&
		grep -q "xenlab-init: $what now" "$2" &&
		grep -Eq "$kmsg" "$2" &&
		grep -q "Domain $4 has shut down, reason code $code " "$3" &&
		return 0
	echo "no orderly $what on record ($(basename "$2"), $(basename "$3")):" \
		"$(grep -h "xenlab-init\|reboot:\|Failed\|Domain $4" "$2" "$3" \
			2>/dev/null | tail -n 6)" >&2
	return 1
}

# closed_both_ends CONSOLE - the guest's init saw netfront close vif 0
# with both ends in state 6 (Closed) before the guest went down.
closed_both_ends() {
	grep -q "vif-0 released by netfront: frontend state 6, backend state 6" \
		"$1" && return 0
	echo "netfront did not close both ends:" \
		"$(grep -h "released by netfront" "$1")" >&2
	return 1
}

# memback BEFORE - dom0's memory back near the dom0res file BEFORE:
# VmallocUsed (a 2-queue vif holds about 150 kB of it while it lives) not
# more than 128 kB higher, SUnreclaim (about 300-500 kB a vif, but also
# slab pages left partly used by heavy traffic) not more than 2 MB higher,
# MemAvailable (moves by 16 MB either way on its own), not counting what
# TCP sockets hold now more than before, not more than 32 MB lower.
# Prints the differences.
memback() {
	dom0res >/tmp/res.now
	awk 'FNR == NR { b[$1] = $2; next }
	{ a[$1] = $2 }
	END {
		tcp = a["TCPmem"] - b["TCPmem"]
		avail = a["MemAvailable"] - b["MemAvailable"] + tcp
		slab = a["SUnreclaim"] - b["SUnreclaim"]
		vm = a["VmallocUsed"] - b["VmallocUsed"]
		printf "VmallocUsed %+d kB (at most +128), SUnreclaim %+d kB (at most +2048), MemAvailable %+d kB with TCP buffers %+d kB left out (at least -32768)\n", vm, slab, avail, tcp
		exit (vm > 128 || slab > 2048 || avail < -32768)
	}' "$1" /tmp/res.now
}

# memback_wait BEFORE - memback, given up to 15 s: freed vmap areas are
# purged in batches and slabs freed after an RCU grace period, so memory
# comes back a little after the last guest goes (seen: VmallocUsed +160 kB
# at once, -16 kB a few seconds later)
memback_wait() {
	local t rc
	for t in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		memback "$1" >/tmp/memback.out
		rc=$?
		[ $rc = 0 ] && break
		sleep 1
	done
	cat /tmp/memback.out
	return $rc
}
