/*
 * sen-upf configuration: the `upf` section of sen.yaml (docs/configuration.md, "upf"),
 * bound with lib/core's declarative schema:
 *
 *   upf:
 *     pfcp: 127.0.0.7              # N4 address, port 8805 unless "addr:port"
 *     gtpu: 127.0.0.7              # N3 address, port 2152 unless "addr:port"
 *     n6: { tun: sen0, subnet: [10.45.0.1/16], mtu: 1400 }
 *     heartbeat: 10                # seconds between PFCP Heartbeats to the SMF (0: off)
 *     workers: 1                   # data-plane threads (1..UPF_MAX_WORKERS)
 *
 * n6.subnet entries may be IPv6 ("2001:db8:cafe::1/48"): the prefix the SMF's
 * dnn[].ipv6_prefix /64s come from, so that the kernel routes them into the TUN.
 */
#ifndef SEN_UPF_CFG_H
#define SEN_UPF_CFG_H

#include "core/config.h"
#include "tun.h"

#include <stddef.h>
#include <stdint.h>

#define UPF_MAX_SUBNETS 8
#define UPF_MAX_WORKERS 64

struct upf_cfg {
	struct sen_cfg_addr pfcp; /* IPv4, port default 8805 */
	struct sen_cfg_addr gtpu; /* IPv4, port default 2152 */
	struct {
		char tun[16]; /* IFNAMSIZ */
		size_t n_subnet;
		struct upf_subnet subnet[UPF_MAX_SUBNETS];
		uint16_t mtu; /* 0: leave the device's */
	} n6;
	uint16_t heartbeat; /* seconds; 0: none */
	uint16_t workers;   /* data-plane threads, 1..UPF_MAX_WORKERS */
};

/*
 * Bind the `upf` section of cfg into *out. Returns 0, or -SEN_ECONFIG with
 * "file:line: upf.key: problem" in err.
 */
int upf_cfg_bind(struct sen_config *cfg, struct upf_cfg *out, char *err, size_t errlen);

#endif
