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

# --- per-queue counters -------------------------------------------------------

# qstats DEV - lines "tx N COUNT" and "rx N COUNT", one per queue and
# direction: packets from `ethtool -S` when the driver names per-queue
# counters, else interrupts per queue from /proc/interrupts (stock netback
# names its event channel irqs DEV-qN-tx / DEV-qN-rx, or DEV-qN when shared;
# stock netfront uses the xenbus node name, vif0-qN-tx).
qstats() {
	local dev=$1 alt
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
		# netfront names its irqs after the xenbus node (vif0-q0-tx)
		alt=$(cat /sys/class/net/"$dev"/device/nodename 2>/dev/null)
		alt=$(echo "$alt" | awk -F/ '$1 == "device" { print $2 $3 }')
		awk -v dev="$dev" -v alt="${alt:-$dev}" '
		{
			name = $NF; n = 0
			for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i; else break
			if (index(name, dev "-q") == 1) p = dev
			else if (index(name, alt "-q") == 1) p = alt
			else next
			rest = substr(name, length(p) + 3)
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

# qsource DEV - where qstats takes DEV's per-queue numbers from
qsource() {
	if ethtool -S "$1" 2>/dev/null | grep -Eiq '(queue|q)[-_]?[0-9]+.*(pack|pkt)|(tx|rx)[-_]?[0-9]+.*(pack|pkt)'; then
		echo "packets, per-queue counters of ethtool -S"
	else
		echo "event channel interrupts per queue (/proc/interrupts): the driver has no per-queue counters"
	fi
}
