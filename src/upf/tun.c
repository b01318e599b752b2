/*
 * sen-upf N6 TUN device setup (see tun.h): TUNSETIFF on /dev/net/tun, SIOCSIFMTU and
 * SIOCSIFFLAGS through an ioctl socket, addresses with one RTM_NEWADDR each (rtnetlink,
 * rtnetlink(7)); the kernel adds the subnet route with each address.
 */
#include "tun.h"

#include "core/err.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Add gw/len to interface `ifindex` over rtnetlink; an existing address is fine. IPv6
 * addresses get IFA_F_NODAD: the TUN is a point-to-point link of the UPF's own. */
static int add_addr(int ifindex, const struct upf_subnet *s)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
		uint8_t attrs[64];
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int rc = -1;

	if (fd < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_type = RTM_NEWADDR;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	req.nh.nlmsg_seq = 1;
	req.ifa.ifa_family = s->v6 ? AF_INET6 : AF_INET;
	req.ifa.ifa_flags = s->v6 ? IFA_F_NODAD : 0;
	req.ifa.ifa_prefixlen = s->len;
	req.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	req.ifa.ifa_index = (unsigned)ifindex;
	size_t off = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(req.ifa)));
	static const unsigned short types[] = { IFA_LOCAL, IFA_ADDRESS };
	for (unsigned i = 0; i < 2; i++) {
		unsigned short type = types[i];
		struct rtattr *rta = (struct rtattr *)((uint8_t *)&req + off);
		rta->rta_type = type;
		rta->rta_len = RTA_LENGTH(s->v6 ? 16 : 4);
		if (s->v6)
			memcpy(RTA_DATA(rta), &s->gw6, 16);
		else
			memcpy(RTA_DATA(rta), &s->gw, 4);
		off += RTA_ALIGN(rta->rta_len);
	}
	req.nh.nlmsg_len = (uint32_t)off;
	if (sendto(fd, &req, off, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto out;
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr e;
		uint8_t more[256];
	} ack;
	ssize_t n = recv(fd, &ack, sizeof(ack), 0);
	if (n < (ssize_t)(sizeof(ack.nh) + sizeof(ack.e)) || ack.nh.nlmsg_type != NLMSG_ERROR)
		goto out;
	if (ack.e.error == 0 || ack.e.error == -EEXIST)
		rc = 0;
	else
		errno = -ack.e.error;
out:
	if (rc < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

static int tun_attach(const char *name, bool mq, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open /dev/net/tun: %m");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (mq ? IFF_MULTI_QUEUE : 0);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "cannot create TUN device %s%s: %m", name,
			 mq ? " with several queues" : "");
		close(fd);
		return -1;
	}
	return fd;
}

int upf_tun_open_mq(const char *name, unsigned mtu, const struct upf_subnet *subnets, size_t n,
		    unsigned nq, int *fds, char *err, size_t errlen)
{
	struct ifreq ifr;
	int sk = -1;
	unsigned q;

	for (q = 0; q < nq; q++)
		if ((fds[q] = tun_attach(name, nq > 1, err, errlen)) < 0)
			goto fail;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if ((sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "socket: %m");
		goto fail;
	}
	if (mtu) {
		ifr.ifr_mtu = (int)mtu;
		if (ioctl(sk, SIOCSIFMTU, &ifr) < 0) {
			snprintf(err, errlen, "cannot set MTU %u on %s: %m", mtu, name);
			goto fail;
		}
	}
	if (ioctl(sk, SIOCGIFINDEX, &ifr) < 0) {
		snprintf(err, errlen, "%s: no interface index: %m", name);
		goto fail;
	}
	int ifindex = ifr.ifr_ifindex;
	for (size_t i = 0; i < n; i++)
		if (add_addr(ifindex, &subnets[i]) < 0) {
			char a[INET6_ADDRSTRLEN];
			if (subnets[i].v6)
				inet_ntop(AF_INET6, &subnets[i].gw6, a, sizeof(a));
			else
				inet_ntop(AF_INET, &subnets[i].gw, a, sizeof(a));
			snprintf(err, errlen, "cannot add %s/%u to %s: %m", a, subnets[i].len,
				 name);
			goto fail;
		}
	if (ioctl(sk, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "%s: cannot read flags: %m", name);
		goto fail;
	}
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(sk, SIOCSIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "cannot set %s up: %m", name);
		goto fail;
	}
	close(sk);
	return 0;
fail:
	if (sk >= 0)
		close(sk);
	while (q-- > 0)
		close(fds[q]);
	return -SEN_EIO;
}

int upf_tun_open(const char *name, unsigned mtu, const struct upf_subnet *subnets, size_t n,
		 char *err, size_t errlen)
{
	int fd;
	int rc = upf_tun_open_mq(name, mtu, subnets, n, 1, &fd, err, errlen);

	return rc < 0 ? rc : fd;
}
