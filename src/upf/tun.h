/*
 * sen-upf N6: the TUN device. The UPF creates it (or attaches to an existing one of the
 * same name), sets the MTU, assigns each UE subnet's gateway address (which makes the
 * kernel route the subnet to the device) and brings it up. Linux only: /dev/net/tun,
 * rtnetlink for addresses.
 */
#ifndef SEN_UPF_TUN_H
#define SEN_UPF_TUN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A UE subnet on N6: the gateway address the TUN takes, and the prefix length. */
struct upf_subnet {
	struct in_addr gw; /* IPv4 (v6 false) */
	uint8_t len;
	bool v6;
	struct in6_addr gw6; /* IPv6 (v6 true) */
};

/*
 * Open TUN device `name` (IFF_TUN, no packet information, non-blocking), set `mtu` (0: leave
 * it), add each subnet's gateway address with its prefix length (an address already there
 * is fine; IPv6 ones without duplicate address detection) and set the link up. Returns the
 * fd, or -SEN_EIO with a line in err
 * ("cannot create TUN device sen0: Operation not permitted").
 */
int upf_tun_open(const char *name, unsigned mtu, const struct upf_subnet *subnets, size_t n,
		 char *err, size_t errlen);

/*
 * The same with `nq` queues (IFF_MULTI_QUEUE when nq > 1: one fd per queue, the kernel
 * spreads packets over them by flow), the fds in fds[nq]. Returns 0, or -SEN_EIO with a
 * line in err (all fds closed).
 */
int upf_tun_open_mq(const char *name, unsigned mtu, const struct upf_subnet *subnets, size_t n,
		    unsigned nq, int *fds, char *err, size_t errlen);

#endif
