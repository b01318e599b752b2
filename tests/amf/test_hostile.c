/*
 * A hostile gNB against the live sen-amf (DESIGN.md "Bad input"; TS 38.413 clause 10;
 * TS 24.501 4.4.4.3 and 7): gNB A registers a few UEs normally, then gNB B sends a few
 * thousand mutated NGAP PDUs (bit flips, octets inserted and deleted, truncation, IE length
 * fields, IE ids swapped, IEs duplicated or dropped, random procedure codes, huge NAS-PDUs,
 * NGAP IDs of gNB A's UEs) and mutated NAS messages inside well-formed Initial UE Message /
 * Uplink NAS Transport PDUs (plain, with a broken MAC, and integrity protected with the keys
 * of a UE registered through gNB B; 5G-GUTIs and 5G-S-TMSIs of gNB A's UEs).
 *
 * Afterwards: the AMF is alive and still answers as the spec says (Error Indication, 5GMM
 * STATUS #97), gNB A received nothing at all while B was sending, A's UEs are registered
 * with their security contexts intact (each deregisters normally) and a new UE registers.
 *
 * Deterministic: a fixed seed (printed; SEN_HOSTILE_SEED overrides it) and a bounded number
 * of PDUs (SEN_HOSTILE_ROUNDS, default 3000 NGAP PDUs and half as many NAS messages, for
 * longer soak runs by hand).
 *
 * Usage: test-amf-hostile PATH/TO/sen-amf
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/log.h"
#include "harness.h"
#include "../ngap/samples.h"

static const char *amf_exe;
static uint64_t seed = 0x5e7a3f0c2b1d9e47ULL;
static unsigned rounds = 3000;

#define GNB_A 0
#define GNB_B 1
#define N_A   3 /* UEs of gNB A */

/* ---------------------------------------------------------------- randomness ---- */

static uint64_t rng;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* ------------------------------------------------------------ what came back ---- */

struct tally {
	unsigned pdus, undecodable, error_ind, dl_nas, release_cmd, ics, other;
	unsigned gmm_status, gmm_status_97;
};
static struct tally tb, ta; /* gNB B, gNB A */

/* The UE of gNB B whose keys are in use (NAS phase), or NULL. */
static struct h_ue *b_ue;
static bool b_ue_released;

static void on_b(const struct h_rx *rx, void *arg)
{
	struct tally *t = arg;

	t->pdus++;
	if (!rx) {
		t->undecodable++;
		return;
	}
	if (rx->pdu.present != SEN_NGAP_INITIATING) {
		t->other++;
		return;
	}
	switch (rx->pdu.msg.procedure_code) {
	case SEN_NGAP_PROC_ERROR_INDICATION:
		t->error_ind++;
		break;
	case SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT: {
		const struct sen_ngap_downlink_nas_transport *d = rx->msg;
		struct sen_nas_msg m;
		t->dl_nas++;
		if (b_ue && d->ran_ue_ngap_id == b_ue->ran_id &&
		    d->amf_ue_ngap_id == b_ue->amf_id &&
		    h_ue_unwrap(b_ue, d->nas_pdu.data, d->nas_pdu.len, &m) == 0 &&
		    m.type == SEN_NAS_5GMM_STATUS) {
			t->gmm_status++;
			if (m.gmm_status.cause == 97)
				t->gmm_status_97++;
		}
		break;
	}
	case SEN_NGAP_PROC_UE_CONTEXT_RELEASE: {
		/* a well-behaved gNB completes every release, so that contexts do not pile up */
		const struct sen_ngap_ue_context_release_command *c = rx->msg;
		struct sen_ngap_ue_context_release_complete cpl;
		struct sen_ngap_pdu pdu;
		t->release_cmd++;
		if (c->ue_ngap_ids.present != SEN_NGAP_IDS_PAIR)
			break;
		memset(&cpl, 0, sizeof(cpl));
		cpl.amf_ue_ngap_id = c->ue_ngap_ids.u.pair.amf_ue_ngap_id;
		cpl.ran_ue_ngap_id = c->ue_ngap_ids.u.pair.ran_ue_ngap_id;
		if (b_ue && cpl.ran_ue_ngap_id == b_ue->ran_id)
			b_ue_released = true;
		sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_UE_CONTEXT_RELEASE,
				  &cpl);
		h_gnb_send(1, &pdu);
		break;
	}
	case SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP:
		t->ics++;
		break;
	default:
		t->other++;
		break;
	}
}

/* Anything at all on gNB A while B misbehaves is a disturbance. */
static void on_a(const struct h_rx *rx, void *arg)
{
	on_b(rx, arg);
	if (rx)
		fprintf(stderr, "# gNB A got kind %u procedure %u about RAN UE NGAP ID %lld\n",
			(unsigned)rx->pdu.present, (unsigned)rx->pdu.msg.procedure_code,
			(long long)h_rx_ran_id(rx));
}

static void drain(void)
{
	h_gnb_use(GNB_A);
	h_gnb_drain(on_a, &ta);
	h_gnb_use(GNB_B);
	h_gnb_drain(on_b, &tb);
}

/* Keep gNB B connected and set up (a mutated NG Setup may have failed it). */
static unsigned b_reconnects;

static void b_ready(void)
{
	h_gnb_use(GNB_B);
	if (!h_gnb_is_up()) {
		b_reconnects++;
		drain(); /* h_gnb_close drops what is queued for every gNB */
		h_gnb_close(true);
		assert_int_equal(h_gnb_connect(), 0);
	}
	/* the answers to mutated NG Setups sent before may still be on their way: an NG
	 * Setup Failure taken for ours is followed by another try */
	h_run(10);
	drain();
	int kind = -1;
	for (int tries = 0; tries < 5 && kind != SEN_NGAP_SUCCESSFUL; tries++)
		kind = h_gnb_ng_setup(true, NULL);
	assert_int_equal(kind, SEN_NGAP_SUCCESSFUL);
	h_run(10);
	drain();
}

/* -------------------------------------------------------- valid PDU builders ---- */

static uint8_t plmn[3];
static const uint8_t tac[3] = {0, 0, 1}, cell[5] = {0, 0, 0, 1, 0};

static void uli(struct sen_ngap_uli *u)
{
	memset(u, 0, sizeof(*u));
	u->present = SEN_NGAP_ULI_NR;
	u->u.nr.cgi.plmn = (struct sen_asn_octets){plmn, 3};
	u->u.nr.cgi.cell_id = (struct sen_asn_bits){cell, 36};
	u->u.nr.tai.plmn = (struct sen_asn_octets){plmn, 3};
	u->u.nr.tai.tac = (struct sen_asn_octets){tac, 3};
}

static int enc_initial(uint32_t ran, const uint8_t *nas, size_t len, uint8_t *out, size_t cap)
{
	struct sen_ngap_initial_ue_message m;
	struct sen_ngap_pdu pdu;

	memset(&m, 0, sizeof(m));
	m.ran_ue_ngap_id = ran;
	m.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)len};
	uli(&m.uli);
	m.rrc_establishment_cause = SEN_NGAP_RRC_MO_SIGNALLING;
	sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_UE_MESSAGE, &m);
	return sen_ngap_encode(&pdu, out, cap);
}

static int enc_ul(uint64_t amf, uint32_t ran, const uint8_t *nas, size_t len, uint8_t *out,
		  size_t cap)
{
	struct sen_ngap_uplink_nas_transport m;
	struct sen_ngap_pdu pdu;

	memset(&m, 0, sizeof(m));
	m.amf_ue_ngap_id = amf;
	m.ran_ue_ngap_id = ran;
	m.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)len};
	uli(&m.uli);
	sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_UPLINK_NAS_TRANSPORT, &m);
	return sen_ngap_encode(&pdu, out, cap);
}

/* UE-associated PDUs whose messages start with the AMF / RAN UE NGAP ID pair. */
static int enc_ue_assoc(unsigned which, uint64_t amf, uint32_t ran, const uint8_t *nas, size_t len,
			uint8_t *out, size_t cap)
{
	struct sen_ngap_ue_context_release_request rr;
	struct sen_ngap_ue_context_release_complete rc;
	struct sen_ngap_initial_context_setup_response ir;
	struct sen_ngap_initial_context_setup_failure ifl;
	struct sen_ngap_nas_non_delivery_indication nd;
	struct sen_ngap_pdu pdu;
	const struct sen_ngap_cause cause = {.present = SEN_NGAP_CAUSE_RADIO_NETWORK,
					     .u.value = SEN_NGAP_CAUSE_RN_RADIO_CONNECTION_LOST};

	switch (which % 5) {
	case 0:
		memset(&rr, 0, sizeof(rr));
		rr.amf_ue_ngap_id = amf;
		rr.ran_ue_ngap_id = ran;
		rr.cause = cause;
		sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING,
				  SEN_NGAP_PROC_UE_CONTEXT_RELEASE_REQUEST, &rr);
		break;
	case 1:
		memset(&rc, 0, sizeof(rc));
		rc.amf_ue_ngap_id = amf;
		rc.ran_ue_ngap_id = ran;
		sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, &rc);
		break;
	case 2:
		memset(&ir, 0, sizeof(ir));
		ir.amf_ue_ngap_id = amf;
		ir.ran_ue_ngap_id = ran;
		sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP,
				  &ir);
		break;
	case 3:
		memset(&ifl, 0, sizeof(ifl));
		ifl.amf_ue_ngap_id = amf;
		ifl.ran_ue_ngap_id = ran;
		ifl.cause = cause;
		sen_ngap_pdu_init(&pdu, SEN_NGAP_UNSUCCESSFUL, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP,
				  &ifl);
		break;
	default:
		memset(&nd, 0, sizeof(nd));
		nd.amf_ue_ngap_id = amf;
		nd.ran_ue_ngap_id = ran;
		nd.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)len};
		nd.cause = cause;
		sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING,
				  SEN_NGAP_PROC_NAS_NON_DELIVERY_INDICATION, &nd);
		break;
	}
	return sen_ngap_encode(&pdu, out, cap);
}

/* A sample of tests/ngap/samples.c; when its message starts with the sample's NGAP ID
 * pair, that pair is replaced by (amf, ran). */
struct id_pair {
	uint64_t amf;
	uint32_t ran;
};

static int enc_sample(const struct ngap_sample *s, uint64_t amf, uint32_t ran, uint8_t *out,
		      size_t cap)
{
	struct id_pair *ids = (struct id_pair *)s->pdu.msg.value.value;
	bool patched = false;
	int n;

	if (ids && ids->amf == SAMPLE_AMF_UE_NGAP_ID && ids->ran == SAMPLE_RAN_UE_NGAP_ID) {
		ids->amf = amf;
		ids->ran = ran;
		patched = true;
	}
	n = sen_ngap_encode(&s->pdu, out, cap);
	if (patched) {
		ids->amf = SAMPLE_AMF_UE_NGAP_ID;
		ids->ran = SAMPLE_RAN_UE_NGAP_ID;
	}
	return n;
}

/* --------------------------------------------------------------- mutations ---- */

/* The protocol IE container of an encoded PDU (APER, TS 38.413 9.4): choice, procedure
 * code, criticality, open type length, then { ext bit, 16-bit count, IEs (id 16 bits,
 * criticality, open type length, value) }. */
#define MAX_IES 64
struct ies {
	size_t body;			   /* offset of the SEQUENCE preamble */
	size_t count;			   /* how many IEs were found */
	size_t off[MAX_IES], len[MAX_IES]; /* each IE, whole (id .. value) */
};

static bool lendet(const uint8_t *b, size_t len, size_t at, size_t *l, size_t *hdr)
{
	if (at >= len)
		return false;
	if (!(b[at] & 0x80)) {
		*l = b[at];
		*hdr = 1;
		return true;
	}
	if ((b[at] & 0xc0) == 0x80 && at + 1 < len) {
		*l = ((size_t)(b[at] & 0x3f) << 8) | b[at + 1];
		*hdr = 2;
		return true;
	}
	return false;
}

static bool ies_parse(const uint8_t *b, size_t len, struct ies *ie)
{
	size_t l, h, p;

	if (!lendet(b, len, 3, &l, &h))
		return false;
	ie->body = 3 + h;
	p = ie->body + 3;
	ie->count = 0;
	while (p + 3 < len && ie->count < MAX_IES) {
		if (!lendet(b, len, p + 3, &l, &h) || p + 3 + h + l > len)
			break;
		ie->off[ie->count] = p;
		ie->len[ie->count] = 3 + h + l;
		ie->count++;
		p += 3 + h + l;
	}
	return ie->count > 0;
}

/* Rewrite the outer open type length and the IE count after the body changed size. */
static size_t reframe(uint8_t *b, size_t len, size_t cap, int count_delta)
{
	uint8_t tmp[20000];
	size_t l, h, body_len;

	if (!lendet(b, len, 3, &l, &h) || len < 3 + h + 3 || len > sizeof(tmp))
		return len;
	body_len = len - 3 - h;
	memcpy(tmp, b + 3 + h, body_len);
	unsigned cnt = ((unsigned)tmp[1] << 8 | tmp[2]) + (unsigned)count_delta;
	tmp[1] = (uint8_t)(cnt >> 8);
	tmp[2] = (uint8_t)cnt;
	size_t nh = body_len < 128 ? 1 : 2;
	if (3 + nh + body_len > cap || body_len >= 16384)
		return len;
	if (nh == 1) {
		b[3] = (uint8_t)body_len;
	} else {
		b[3] = (uint8_t)(0x80 | (body_len >> 8));
		b[4] = (uint8_t)body_len;
	}
	memcpy(b + 3 + nh, tmp, body_len);
	return 3 + nh + body_len;
}

/* IE ids of TS 38.413 9.4.7 the AMF reads (and a few it does not). */
static const uint16_t ie_ids[] = {10,  85, 38, 121, 90, 26, 27,	 15,  0,      82,
				  102, 21, 48, 94,  74, 71, 112, 119, 0xffff, 255};

static size_t mutate_once(uint8_t *b, size_t len, size_t cap)
{
	struct ies ie;
	size_t pos, n;

	if (len == 0)
		return 0;
	switch (below(12)) {
	case 0: /* flip 1..4 bits */
		for (n = 1 + below(4); n; n--)
			b[below((uint32_t)len)] ^= (uint8_t)(1u << below(8));
		return len;
	case 1: { /* one octet set to an interesting value */
		static const uint8_t v[] = {0x00, 0xff, 0x7f, 0x80, 0x40, 0x3f, 0xc0, 0x01};
		b[below((uint32_t)len)] = below(2) ? v[below(sizeof(v))] : (uint8_t)rnd();
		return len;
	}
	case 2: /* insert 1..8 octets */
		n = 1 + below(8);
		if (len + n > cap)
			return len;
		pos = below((uint32_t)len + 1);
		memmove(b + pos + n, b + pos, len - pos);
		for (size_t i = 0; i < n; i++)
			b[pos + i] = (uint8_t)rnd();
		return len + n;
	case 3: /* delete 1..8 octets */
		n = 1 + below(8);
		if (n >= len)
			return len;
		pos = below((uint32_t)(len - n + 1));
		memmove(b + pos, b + pos + n, len - pos - n);
		return len - n;
	case 4: /* truncate */
		return below((uint32_t)len);
	case 5: /* an IE's length field */
		if (!ies_parse(b, len, &ie))
			return len;
		pos = ie.off[below((uint32_t)ie.count)] + 3;
		b[pos] = below(2) ? (uint8_t)rnd() : (uint8_t)(b[pos] + 1 - 2 * below(2));
		return len;
	case 6: /* an IE's id swapped for another */
		if (!ies_parse(b, len, &ie))
			return len;
		pos = ie.off[below((uint32_t)ie.count)];
		uint16_t id =
		    below(4) ? ie_ids[below(sizeof(ie_ids) / sizeof(ie_ids[0]))] : (uint16_t)rnd();
		b[pos] = (uint8_t)(id >> 8);
		b[pos + 1] = (uint8_t)id;
		return len;
	case 7: { /* an IE duplicated */
		size_t k;
		if (!ies_parse(b, len, &ie))
			return len;
		k = below((uint32_t)ie.count);
		if (len + ie.len[k] > cap)
			return len;
		pos = ie.off[k] + ie.len[k];
		memmove(b + pos + ie.len[k], b + pos, len - pos);
		memcpy(b + pos, b + ie.off[k], ie.len[k]);
		return reframe(b, len + ie.len[k], cap, +1);
	}
	case 8: { /* an IE dropped */
		size_t k;
		if (!ies_parse(b, len, &ie))
			return len;
		k = below((uint32_t)ie.count);
		memmove(b + ie.off[k], b + ie.off[k] + ie.len[k], len - ie.off[k] - ie.len[k]);
		return reframe(b, len - ie.len[k], cap, -1);
	}
	case 9: /* a random procedure code */
		if (len > 1)
			b[1] = (uint8_t)rnd();
		return len;
	case 10: /* another PDU kind / criticality */
		b[0] = (uint8_t)(below(4) << 5 | (below(8) == 0 ? 0x80 : 0));
		if (len > 2)
			b[2] = (uint8_t)(below(4) << 6);
		return len;
	default: /* the IE count */
		if (!ies_parse(b, len, &ie))
			return len;
		b[ie.body + 1] = (uint8_t)below(2);
		b[ie.body + 2] = (uint8_t)rnd();
		return len;
	}
}

static size_t mutate(uint8_t *b, size_t len, size_t cap)
{
	for (unsigned n = 1 + below(3); n && len; n--)
		len = mutate_once(b, len, cap);
	return len;
}

/* NAS octets: flips, insertions, deletions, truncation, the length of an IE. */
static size_t mutate_nas(uint8_t *b, size_t len, size_t cap)
{
	size_t pos, n;

	for (unsigned k = 1 + below(2); k && len; k--) {
		switch (below(7)) {
		case 0:
			b[below((uint32_t)len)] ^= (uint8_t)(1u << below(8));
			break;
		case 1:
			b[below((uint32_t)len)] = (uint8_t)rnd();
			break;
		case 2:
			len = 1 + below((uint32_t)len);
			break;
		case 3:
			n = 1 + below(6);
			if (len + n > cap)
				break;
			pos = below((uint32_t)len + 1);
			memmove(b + pos + n, b + pos, len - pos);
			for (size_t i = 0; i < n; i++)
				b[pos + i] = (uint8_t)rnd();
			len += n;
			break;
		case 4:
			if (len > 3) {
				pos = 3 + below((uint32_t)(len - 3));
				memmove(b + pos, b + pos + 1, len - pos - 1);
				len--;
			}
			break;
		case 5: /* the message type */
			if (len > 2)
				b[2] = below(2) ? (uint8_t)rnd() : (uint8_t)(0x41 + below(0x28));
			break;
		default: /* an octet after the header: often a length */
			if (len > 3)
				b[3 + below((uint32_t)(len - 3))] =
				    (uint8_t)(below(2) ? 0xff : below(8));
			break;
		}
	}
	return len;
}

/* ------------------------------------------------------------------- the UEs ---- */

#define MSIN_A(i) (i == 0 ? "0000000001" : i == 1 ? "0000000002" : "0000000003")
#define MSIN_B	  "0000000011"
#define MSIN_NEW  "0000000021"

static struct h_ue ue_a[N_A];
static uint32_t next_ran = 1000;

static int setup(void **state)
{
	char msin[16];

	h_subs_clear();
	for (int i = 0; i < N_A; i++)
		h_sub_add(MSIN_A(i), 0);
	h_sub_add(MSIN_B, 0);
	h_sub_add(MSIN_NEW, 0);
	for (int i = 0; i < 8; i++) { /* subscribers a garbage SUCI may name */
		snprintf(msin, sizeof(msin), "%010d", 100 + i);
		h_sub_add(msin, 0);
	}
	if (h_amf_start(amf_exe, NULL) < 0)
		return -1;
	h_gnb_use(GNB_A);
	return h_gnb_ng_setup(true, NULL) == SEN_NGAP_SUCCESSFUL ? 0 : -1;
}

static int teardown(void **state)
{
	bool alive = h_amf_alive();
	int st = h_amf_stop();
	h_gnb_flush();
	if (!alive || st != 0) {
		fprintf(stderr, "# sen-amf %s, exit status %d\n", alive ? "alive" : "DEAD", st);
		return -1;
	}
	return 0;
}

/* A plain NAS message of one of the kinds a UE sends, naming `victim` (may be NULL). */
static int nas_template(const struct h_ue *victim, uint8_t *out, size_t cap)
{
	struct sen_nas_msg m;
	struct h_ue tmp;
	char msin[16];
	int n;

	switch (below(8)) {
	case 0: /* SUCI of a subscriber, or of an unknown one */
		snprintf(msin, sizeof(msin), "%010u", 100 + below(12));
		h_ue_init(&tmp, msin, 0);
		n = h_ue_registration_request(&tmp, false, (uint8_t)(1 + below(3)), out, cap);
		h_ue_free(&tmp);
		return n;
	case 1: /* the victim's 5G-GUTI */
		if (!victim)
			return nas_template(NULL, out, cap);
		tmp = *victim;
		n = h_ue_registration_request(&tmp, true, (uint8_t)(1 + below(3)), out, cap);
		return n;
	case 2:
		sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
		m.deregistration_request_ue_orig.dereg_type = (uint8_t)(0x01 | (below(2) << 3));
		if (victim)
			m.deregistration_request_ue_orig.mobile_id = victim->guti;
		else
			m.deregistration_request_ue_orig.mobile_id.type = SEN_NAS_ID_GUTI;
		break;
	case 3:
		sen_nas_msg_init(&m, SEN_NAS_SERVICE_REQUEST);
		m.service_request.service_type = (uint8_t)below(4);
		if (victim)
			m.service_request.s_tmsi.guti = victim->guti.guti;
		m.service_request.s_tmsi.type = SEN_NAS_ID_S_TMSI;
		break;
	case 4:
		sen_nas_msg_init(&m, SEN_NAS_5GMM_STATUS);
		m.gmm_status.cause = (uint8_t)rnd();
		break;
	case 5:
		sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_RESPONSE);
		m.authentication_response.has_res = true;
		for (int i = 0; i < 16; i++)
			m.authentication_response.res[i] = (uint8_t)rnd();
		break;
	case 6:
		sen_nas_msg_init(&m, SEN_NAS_REGISTRATION_COMPLETE);
		break;
	default:
		sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_COMPLETE);
		break;
	}
	return sen_nas_encode(&m, out, cap);
}

/* Wrap plain NAS octets in a security header with a MAC that is wrong (random). */
static size_t fake_protect(const uint8_t *plain, size_t len, uint8_t *out, size_t cap)
{
	if (len + 7 > cap)
		return 0;
	out[0] = SEN_NAS_EPD_5GMM;
	out[1] = (uint8_t)(1 + below(4));
	for (int i = 2; i < 7; i++)
		out[i] = (uint8_t)rnd();
	memcpy(out + 7, plain, len);
	return len + 7;
}

/* ----------------------------------------------------------------- the case ---- */

static void send_b(const uint8_t *b, size_t len)
{
	static unsigned since;

	if (h_gnb_send_raw(1 + below(3), b, len) < 0) {
		h_run(20); /* the send buffer may be full: let it drain */
		h_gnb_send_raw(1, b, len);
	}
	sen_loop_run_once(h_loop, 0);
	if (++since % 16 == 0) {
		h_run(3);
		drain();
	}
}

/* Phase 1: mutated NGAP PDUs. */
static void ngap_phase(unsigned n_pdus)
{
	const struct ngap_sample *samples;
	int n_samples = ngap_samples(&samples);
	static uint8_t buf[20000], nas[12000];
	uint64_t amf;
	uint32_t ran;
	int n;

	for (unsigned r = 0; r < n_pdus; r++) {
		if (r % 128 == 0)
			b_ready();
		/* the NGAP IDs: mostly gNB A's UEs (the pair, or half of it), or anything */
		const struct h_ue *v = &ue_a[below(N_A)];
		switch (below(4)) {
		case 0:
		case 1:
			amf = v->amf_id;
			ran = v->ran_id;
			break;
		case 2:
			amf = v->amf_id;
			ran = below(8);
			break;
		default:
			amf = below(2) ? below(64)
				       : ((uint64_t)rnd() << 8 | below(256)) & 0xffffffffffULL;
			ran = below(2) ? below(64) : rnd();
			break;
		}
		size_t nl = 3 + below(40);
		for (size_t i = 0; i < nl; i++)
			nas[i] = (uint8_t)rnd();
		nas[0] = SEN_NAS_EPD_5GMM;
		switch (below(8)) {
		case 0:
		case 1:
		case 2:
			n = enc_sample(&samples[below((uint32_t)n_samples)], amf, ran, buf,
				       sizeof(buf));
			break;
		case 3:
			n = enc_initial(below(2) ? ran : next_ran++, nas, nl, buf, sizeof(buf));
			break;
		case 4:
			n = enc_ul(amf, ran, nas, nl, buf, sizeof(buf));
			break;
		case 5: /* a huge NAS-PDU */
			nl = 2000 + below(9000);
			for (size_t i = 3; i < nl; i++)
				nas[i] = (uint8_t)rnd();
			n = below(2) ? enc_ul(amf, ran, nas, nl, buf, sizeof(buf))
				     : enc_initial(next_ran++, nas, nl, buf, sizeof(buf));
			break;
		case 6: /* random octets */
			n = (int)(1 + below(64));
			for (int i = 0; i < n; i++)
				buf[i] = (uint8_t)rnd();
			break;
		default:
			n = enc_ue_assoc(rnd(), amf, ran, nas, nl, buf, sizeof(buf));
			break;
		}
		if (n <= 0)
			continue;
		/* most are mutated; some go as they are (valid PDUs with IDs of other UEs) */
		size_t len = below(8) ? mutate(buf, (size_t)n, sizeof(buf)) : (size_t)n;
		if (len)
			send_b(buf, len);
	}
}

/* Phase 2: mutated NAS inside well-formed PDUs. */
static void nas_phase(unsigned n_msgs)
{
	static uint8_t plain[1200], sec[1300], buf[4096];
	static struct h_ue bu;
	unsigned regs = 0, life = 0;
	int n;

	b_ready();
	for (unsigned r = 0; r < n_msgs; r++) {
		/* a UE registered through gNB B, re-registered every 40 messages or when
		 * the garbage got it released */
		if (!b_ue || b_ue_released || ++life >= 40) {
			drain();
			if (b_ue)
				h_ue_free(b_ue);
			b_ue = NULL;
			b_ue_released = false;
			life = 0;
			h_gnb_use(GNB_B);
			if (!h_gnb_is_up())
				b_ready();
			h_ue_init(&bu, MSIN_B, next_ran++);
			if (h_ue_register(&bu) == 0) {
				b_ue = &bu;
				regs++;
			}
			h_gnb_use(GNB_B);
		}
		const struct h_ue *victim = below(2) ? &ue_a[below(N_A)] : b_ue;
		n = nas_template(victim, plain, sizeof(plain));
		if (n <= 0)
			continue;
		size_t pl = below(6) ? mutate_nas(plain, (size_t)n, sizeof(plain)) : (size_t)n;
		const uint8_t *nas = plain;
		size_t nl = pl;
		switch (below(3)) {
		case 0: /* plain */
			break;
		case 1: /* a security header with a wrong MAC */
			nl = fake_protect(plain, pl, sec, sizeof(sec));
			nas = sec;
			break;
		default: /* integrity protected with the keys of gNB B's UE */
			if (!b_ue || !b_ue->has_sec)
				break;
			n = sen_nas_protect(&b_ue->sec, SEN_NAS_SHT_INTEGRITY_CIPHERED, plain, pl,
					    sec, sizeof(sec));
			if (n > 0) {
				nas = sec;
				nl = (size_t)n;
			}
			break;
		}
		if (!nl)
			continue;
		switch (below(4)) {
		case 0: /* a new connection */
			n = enc_initial(below(4) ? next_ran++ : (uint32_t)below(4), nas, nl, buf,
					sizeof(buf));
			break;
		case 1: /* on gNB A's UE's connection: not B's to use */
			n = enc_ul(ue_a[below(N_A)].amf_id, ue_a[below(N_A)].ran_id, nas, nl, buf,
				   sizeof(buf));
			break;
		default: /* on gNB B's UE's connection */
			if (!b_ue)
				continue;
			n = enc_ul(b_ue->amf_id, b_ue->ran_id, nas, nl, buf, sizeof(buf));
			break;
		}
		if (n > 0)
			send_b(buf, (size_t)n);
	}
	h_run(300);
	drain();
	printf("# NAS phase: %u registrations through gNB B\n", regs);
	assert_true(regs > 0);
}

static void test_hostile_gnb(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m;
	static uint8_t buf[512];
	struct h_rx *rx;
	int n;

	rng = seed;
	sen_ngap_plmn_encode("999", "70", plmn);
	printf("# seed 0x%016llx, %u NGAP PDUs, %u NAS messages (SEN_HOSTILE_SEED, "
	       "SEN_HOSTILE_ROUNDS)\n",
	       (unsigned long long)seed, rounds, rounds / 2);

	/* 1. gNB A's UEs register */
	h_gnb_use(GNB_A);
	for (int i = 0; i < N_A; i++) {
		h_ue_init(&ue_a[i], MSIN_A(i), (uint32_t)(1 + i));
		assert_int_equal(h_ue_register(&ue_a[i]), 0);
	}
	h_run(300);
	h_gnb_flush();
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), N_A);

	/* 2. gNB B misbehaves */
	h_gnb_use(GNB_B);
	assert_int_equal(h_gnb_connect(), 0);
	ngap_phase(rounds);
	h_run(300);
	drain();
	assert_true(h_amf_alive());
	printf("# NGAP phase: %u PDUs back on gNB B: %u Error Indication, %u DL NAS, %u release, "
	       "%u other, %u undecodable; %u reconnects\n",
	       tb.pdus, tb.error_ind, tb.dl_nas, tb.release_cmd, tb.other, tb.undecodable,
	       b_reconnects);
	assert_true(tb.error_ind > 0);
	assert_int_equal(tb.undecodable, 0);
	nas_phase(rounds / 2);
	assert_true(h_amf_alive());
	printf("# all: %u PDUs back on gNB B: %u Error Indication, %u DL NAS (%u 5GMM STATUS, "
	       "%u #97), %u release, %u ICS, %u other, %u undecodable; %u on gNB A\n",
	       tb.pdus, tb.error_ind, tb.dl_nas, tb.gmm_status, tb.gmm_status_97, tb.release_cmd,
	       tb.ics, tb.other, tb.undecodable, ta.pdus);
	assert_int_equal(tb.undecodable, 0);

	/* 3. the AMF still answers as the spec says: garbage -> Error Indication (TS 38.413
	 * 10.2); A's UE pair on B's association -> Error Indication, unknown local UE NGAP
	 * ID or inconsistent remote UE NGAP ID (10.6); a protected message of a type that
	 * does not exist -> 5GMM STATUS #97 (TS 24.501 7.4) */
	b_ready();
	if (b_ue)
		h_ue_free(b_ue);
	b_ue = NULL;
	h_ue_init(&ue, MSIN_B, next_ran++);
	assert_int_equal(h_ue_register(&ue), 0);
	h_run(200);
	h_gnb_drain(NULL, NULL);
	static const uint8_t garbage[] = {0x00, 0x2e, 0x40, 0x7f, 0xff, 0xff, 0x13};
	assert_int_equal(h_gnb_send_raw(1, garbage, sizeof(garbage)), 0);
	rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, -1, 2000);
	assert_non_null(rx);
	uint8_t probe[] = {0x7e, 0x00, 0x41};
	n = enc_ul(ue_a[0].amf_id, ue_a[0].ran_id, probe, sizeof(probe), buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_gnb_send_raw(1, buf, (size_t)n), 0);
	rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, ue_a[0].ran_id, 2000);
	assert_non_null(rx);
	const struct sen_ngap_error_indication *e = rx->msg;
	assert_int_equal(e->cause.present, SEN_NGAP_CAUSE_RADIO_NETWORK);
	/* the AMF UE NGAP ID is ours but not on this association: either cause fits 10.6 */
	assert_true(e->cause.u.value == SEN_NGAP_CAUSE_RN_UNKNOWN_LOCAL_UE_NGAP_ID ||
		    e->cause.u.value == SEN_NGAP_CAUSE_RN_INCONSISTENT_REMOTE_UE_NGAP_ID);
	uint8_t nonexistent[] = {0x7e, 0x00, 0x50};
	n = sen_nas_protect(&ue.sec, SEN_NAS_SHT_INTEGRITY_CIPHERED, nonexistent,
			    sizeof(nonexistent), buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 2000), 0);
	assert_int_equal(m.type, SEN_NAS_5GMM_STATUS);
	assert_int_equal(m.gmm_status.cause, 97);
	h_ue_free(&ue);
	/* an unprotected Registration Request / Service Request naming A's UE (its 5G-GUTI,
	 * 5G-S-TMSI) is handled on a new context: identification (TS 24.501 5.5.1.2.2),
	 * Service Reject #9 (5.6.1.5); A's context and N2 connection stay */
	struct h_ue spoof;
	h_ue_init(&spoof, MSIN_B, next_ran++);
	spoof.guti = ue_a[0].guti;
	spoof.has_guti = true;
	n = h_ue_registration_request(&spoof, true, 0x02, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_initial(&spoof, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&spoof, &m, NULL, 2000), 0);
	assert_int_equal(m.type, SEN_NAS_IDENTITY_REQUEST);
	h_ue_init(&spoof, MSIN_B, next_ran++);
	sen_nas_msg_init(&m, SEN_NAS_SERVICE_REQUEST);
	m.service_request.s_tmsi.guti = ue_a[1].guti.guti;
	m.service_request.s_tmsi.type = SEN_NAS_ID_S_TMSI;
	n = sen_nas_encode(&m, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_initial(&spoof, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&spoof, &m, NULL, 2000), 0);
	assert_int_equal(m.type, SEN_NAS_SERVICE_REJECT);
	assert_int_equal(m.service_reject.cause, 9);
	assert_int_equal(h_ue_wait_release(&spoof, 2000), 0);
	h_run(200);

	/* 4. gNB A heard nothing, and its UEs are registered with their contexts intact */
	h_gnb_use(GNB_A);
	h_gnb_drain(on_a, &ta);
	assert_int_equal(ta.pdus, 0);
	assert_true(h_metric("fivegs_amffunction_rm_registeredsubnbr") >= N_A);
	for (int i = 0; i < N_A; i++) {
		assert_int_equal(h_ue_deregister(&ue_a[i], false), 0);
		h_ue_free(&ue_a[i]);
	}
	/* 5. a new UE registers through gNB A */
	h_ue_init(&ue, MSIN_NEW, 50);
	assert_int_equal(h_ue_register(&ue), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 2000), 0); /* TS 24.501 5.4.4 */
	assert_int_equal(m.type, SEN_NAS_CONFIGURATION_UPDATE_COMMAND);
	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_ue_free(&ue);
	assert_true(h_amf_alive());
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_hostile_gnb, setup, teardown),
	};
	const char *s;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH/TO/sen-amf\n", argv[0]);
		return 2;
	}
	amf_exe = argv[1];
	if ((s = getenv("SEN_HOSTILE_SEED")) && *s)
		seed = strtoull(s, NULL, 0);
	if ((s = getenv("SEN_HOSTILE_ROUNDS")) && atoi(s) > 0)
		rounds = (unsigned)atoi(s);
	if (!seed)
		seed = 1;
	sen_log_set_level(getenv("AMF_LOG") ? SEN_LOG_DEBUG : SEN_LOG_ERROR);
	if (sen_loop_new(&h_loop) < 0 || h_fakes_start() < 0 || h_smf_start() < 0) {
		fprintf(stderr, "cannot set up the harness\n");
		return 1;
	}
	rc = cmocka_run_group_tests_name("amf-hostile", tests, NULL, NULL);
	h_smf_stop();
	h_fakes_stop();
	return rc;
}
