# SPDX-License-Identifier: GPL-2.0
# xenlab: helpers shared by the dom0 and guest /init (busybox sh).

export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/xen-4.17/bin
IP=/usr/sbin/ip		# busybox ash would run its own ip applet otherwise

lab_mounts() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mkdir -p /dev/pts /dev/shm /run /tmp
	mount -t devpts -o ptmxmode=0666 devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	# Point-to-point links only: no duplicate address detection delay.
	echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad
	echo 0 >/proc/sys/net/ipv6/conf/all/accept_dad
	$IP link set lo up
}

# kopt NAME DEFAULT - value of xenlab.NAME= on the kernel command line
kopt() {
	for w in $(cat /proc/cmdline); do
		case $w in
		xenlab.$1=*) echo "${w#*=}"; return 0 ;;
		esac
	done
	echo "$2"
}

# now - seconds since boot
now() {
	cut -d. -f1 /proc/uptime
}

# curq - the current combined count in `ethtool -l` output on stdin
curq() { awk '/^Current/ { c = 1 } c && /Combined/ { print $2; exit }'; }

# setq DEV N - "ethtool -L DEV combined N", and wait (up to 60 s) until the
# change has ended.  Our netfront changes in the background and ends each
# change with a line "queues A -> B: outage T ms" in the kernel log, which
# is printed; Debian's changes within the call.  Exit: ethtool's status,
# else 8 when no such line came.
setq() {
	local end='queues [0-9]* -> [0-9]*: outage' before cur i=0
	before=$(dmesg | grep -c "$end")
	cur=$(ethtool -l "$1" | curq)
	ethtool -L "$1" combined "$2" || return
	# Debian's netfront, or no change to make: nothing more to wait for
	ethtool -i "$1" 2>/dev/null | grep -q '^version: xen-netmq' || return 0
	[ "$cur" = "$2" ] && return 0
	while [ "$(dmesg | grep -c "$end")" = "$before" ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 8
		usleep 200000
	done
	dmesg | grep "$end" | tail -n 1
}

# --- per-queue counters -------------------------------------------------------

# qstats DEV - "tx N COUNT" and "rx N COUNT": what DEV sent and received on
# queue N, from the first source that has them:
#  1. the driver's per-queue counters in `ethtool -S` (keys naming a queue
#     and packets: tx_queue_0_packets, rx-1.packets, q0_tx_pkts, ...);
#  2. one queue: the device's tx_packets / rx_packets;
#  3. tx: packets through the mq qdisc's class for queue N (`tc -s class`);
#     rx: interrupts of the event channel that signals arrivals on queue N
#     (netback: DEV-qN-tx, the guest's tx ring; netfront: vifI-qN-rx;
#     DEV-qN or vifI-qN when tx and rx share one channel).
qstats() {
	local dev=$1 n node alt
	n=$(ls -d /sys/class/net/"$dev"/queues/tx-* 2>/dev/null | wc -l)
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
	if [ -s /tmp/qs.$$ ]; then
		cat /tmp/qs.$$
		rm -f /tmp/qs.$$
		return 0
	fi
	rm -f /tmp/qs.$$
	if [ "$n" -le 1 ]; then
		echo "rx 0 $(cat /sys/class/net/"$dev"/statistics/rx_packets)"
		echo "tx 0 $(cat /sys/class/net/"$dev"/statistics/tx_packets)"
		return 0
	fi
	node=$(cat /sys/class/net/"$dev"/device/nodename 2>/dev/null)
	alt=$(echo "$node" | awk -F/ '$1 == "device" { print $2 $3 }')
	{
		awk -v dev="$dev" -v alt="$alt" '
		{
			name = $NF; n = 0
			for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i; else break
			# a netfront (alt set) learns of arrivals on its rx
			# channel, a netback on the guest'"'"'s tx channel
			arrive = alt != "" ? "-rx" : "-tx"
			if (index(name, dev "-q") == 1) p = dev
			else if (alt != "" && index(name, alt "-q") == 1) p = alt
			else next
			rest = substr(name, length(p) + 3)
			q = rest; sub(/-.*/, "", q)
			if (q !~ /^[0-9]+$/) next
			if (rest == q || rest == q arrive) c[q] += n
		}
		END { for (q in c) print "rx", q, c[q] }' /proc/interrupts
		/usr/sbin/tc -s class show dev "$dev" 2>/dev/null | awk '
		function hex(s,   i, v) {
			v = 0
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		/^class mq / { id = $3; sub(/^:/, "", id); q = hex(id) - 1; next }
		/Sent/ && q >= 0 { print "tx", q, $4; q = -1 }'
	} | sort
}

# qdelta BEFORE AFTER - per queue increase, "tx N DELTA"
qdelta() {
	awk 'NR == FNR { b[$1 " " $2] = $3; next }
	     { print $1, $2, $3 - b[$1 " " $2] }' "$1" "$2"
}

# qcover N DOM0_DELTA GUEST_DELTA - one line per queue and direction with
# what the sender sent and the receiver received on it; fails when any of
# the 2 x N rings of the pair did not carry traffic at both of its ends
qcover() {
	awk -v n="$1" '
	NR == FNR { d[$1 " " $2] = $3; next }
	{ g[$1 " " $2] = $3 }
	END {
		bad = 0
		for (q = 0; q < n; q++) {
			a = d["tx " q] + 0; b = g["rx " q] + 0
			c = g["tx " q] + 0; e = d["rx " q] + 0
			f = (a > 0 && b > 0) ? "" : "  <- IDLE"
			h = (c > 0 && e > 0) ? "" : "  <- IDLE"
			printf "queue %d dom0->guest: sent %d, received %d%s\n", q, a, b, f
			printf "queue %d guest->dom0: sent %d, received %d%s\n", q, c, e, h
			if (f != "" || h != "") bad = 1
		}
		exit bad
	}' "$2" "$3"
}

# qsource DEV - where qstats takes DEV's per-queue numbers from
qsource() {
	if ethtool -S "$1" 2>/dev/null | grep -Eiq '(queue|q)[-_]?[0-9]+.*(pack|pkt)|(tx|rx)[-_]?[0-9]+.*(pack|pkt)'; then
		echo "packets, the driver's per-queue counters (ethtool -S)"
	elif [ "$(ls -d /sys/class/net/"$1"/queues/tx-* | wc -l)" -le 1 ]; then
		echo "packets (one queue: the device's counters)"
	else
		echo "no per-queue counters in the driver: tx = packets per queue" \
			"through the mq qdisc (tc -s class), rx = event channel" \
			"interrupts per queue (/proc/interrupts)"
	fi
}
