/*
 * A scripted network for the sen-ransim UE tests: the AMF / AUSF / UDM / SMF side of the
 * exchanges, written directly on lib/nas and lib/crypto (sen_aka_he_av, sen_kdf_*,
 * sen_suci_deconceal, sen_nas_protect …), so that the UE is checked against an independent
 * implementation of the same specifications. It uses cmocka assertions.
 */
#ifndef SEN_TEST_RANSIM_NET_H
#define SEN_TEST_RANSIM_NET_H

#include "crypto/aka.h"
#include "crypto/suci.h"
#include "nas/nas.h"
#include "nas/sec.h"
#include "ue.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net {
	struct sen_ue *ue;
	char supi[32];
	char snn[40];
	uint8_t k[16], opc[16], amf[2];
	uint64_t sqn; /* SQN_HE: SQN of the last vector */
	struct sen_hn_key *hn_key;
	/* authentication and security */
	uint8_t ngksi;
	uint8_t abba[2];
	struct sen_aka_he_av av;
	uint8_t kamf[32];
	bool have_kamf;
	struct sen_nas_sec_ctx sec;
	bool sec_on;
	/* the last uplink: raw, its plain form, and decoded */
	uint8_t ul[2048];
	size_t ul_len;
	unsigned ul_flags;
	uint8_t ul_sht;
	uint8_t ul_plain[2048];
	size_t ul_plain_len;
	uint32_t ul_count; /* NAS COUNT of the last protected uplink */
	struct sen_nas_msg m;
	/* the last downlink sent */
	uint8_t dl[2048];
	size_t dl_len;
};

/* Test subscriber (TS 35.208 test set 1 keys), PLMN 999/70. */
#define NET_SUPI "imsi-999700000000001"
extern const uint8_t net_k[16], net_opc[16];

/* A UE config for the test subscriber (queues, no loop, null-scheme SUCI). */
void net_ue_config(struct sen_ue_config *cfg);

/* Set up the network for the test subscriber; `ue` may be set later. */
void net_init(struct net *n, struct sen_ue *ue);
void net_free(struct net *n);

/*
 * Take the next uplink from the UE, check/remove protection with the network's context
 * and decode it into n->m. Returns the message type, or 0 when the UE sent nothing.
 */
int net_recv(struct net *n);
/* As net_recv, asserting that the message has type `type`. */
void net_expect(struct net *n, uint8_t type);
/* Assert the UE sent nothing. */
void net_expect_none(struct net *n);

/* Encode m, protect it with sht (0: plain) and deliver it; returns sen_ue_deliver's code. */
int net_send(struct net *n, const struct sen_nas_msg *m, uint8_t sht);
/* Deliver raw octets (replays, corruptions). */
int net_send_raw(struct net *n, const uint8_t *dl, size_t len);

/* Send Authentication Request with a vector for the next SQN (net->sqn advanced). */
int net_auth_request(struct net *n);
/* After an Authentication Response: check RES* and derive KAMF. */
void net_auth_check(struct net *n);
/* Send Security Mode Command (ia, ea; replayed capabilities given) with a new context. */
int net_smc(struct net *n, uint8_t ia, uint8_t ea, uint8_t cap_ea, uint8_t cap_ia);
/* Registration Accept with a 5G-GUTI, TAI list, allowed NSSAI; protected. */
int net_registration_accept(struct net *n);
/* The whole initial registration, from the UE's Registration Request already received. */
void net_register_after_request(struct net *n);
/* sen_ue_register + net_register_after_request + checks. */
void net_register(struct net *n);
/* A 5GSM message in DL NAS Transport for psi, protected. */
int net_send_gsm(struct net *n, const struct sen_nas_msg *gsm, uint8_t psi);
/* Next event of the UE; asserts there is one of type `type`, returns it. */
struct sen_ue_event net_event(struct net *n, enum sen_ue_event_type type);
/* Assert no event is pending. */
void net_no_event(struct net *n);

#endif
