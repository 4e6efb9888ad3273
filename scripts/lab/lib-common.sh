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
