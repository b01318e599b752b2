/*
 * bench-ngap: encode and decode an Initial UE Message (TS 38.413 9.2.5.1) and a PDU Session
 * Resource Setup Request (9.2.1.1) in a loop on one core, and print messages per second.
 * The PDU Session Resource Setup Request cases include its Setup Request Transfer (9.3.4.1,
 * an OCTET STRING inside): each decode also decodes the transfer, each encode encodes the
 * transfer first, as the AMF (transfer from the SMF) and a gNB do. Goal (issue 4): >= 1 M
 * Initial UE Message decodes/s/core. The baseline measured in the same run is copying the same octets
 * (memcpy + a checksum), so the printed ratio survives a noisy machine.
 *
 * Usage: bench-ngap [SECONDS_PER_CASE]   (default 1)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hex.h"
#include "summary.h"
#include "ngap/ngap.h"

#define OCT(s) ((struct sen_asn_octets){(const uint8_t *)(s), sizeof(s) - 1})
#define BITS(s, n) ((struct sen_asn_bits){(const uint8_t *)(s), n})

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile uint64_t sink;
static uint8_t arena_buf[8192];

/* The PDU Session Resource Setup Request's transfer and the session item carrying it. */
static const struct sen_ngap_setup_request_transfer *pss_tr;
static struct sen_ngap_ps_setup_item *pss_item;

/* Decode the transfer of the first session of a decoded setup request. */
static void decode_transfer(const struct sen_ngap_pdu *d, struct sen_asn_ctx *ctx)
{
	const struct sen_ngap_pdu_session_resource_setup_request *m = d->msg.value.value;
	struct sen_ngap_setup_request_transfer t;
	if (!m || !m->pdu_sessions.count)
		abort();
	const struct sen_asn_octets *o = &m->pdu_sessions.items[0].transfer;
	if (sen_ngap_transfer_decode(&sen_ngap_setup_request_transfer_type, &t, o->data, o->len,
				     ctx) < 0)
		abort();
	sink += t.qos_flows.count;
}

static double run(const char *what, int kind, const uint8_t *pdu, size_t len,
		  const struct sen_ngap_pdu *msg, double secs)
{
	static uint8_t out[4096], tout[256];
	struct sen_asn_arena arena;
	struct sen_asn_ctx ctx;
	struct sen_ngap_pdu d;
	uint64_t n = 0;
	double t0 = now(), t;
	sen_asn_arena_init(&arena, arena_buf, sizeof(arena_buf), 0);
	sen_asn_ctx_init(&ctx, &arena, 0);
	do {
		for (int i = 0; i < 1000; i++) {
			if (kind == 0 || kind == 3) { /* decode (3: and the transfer) */
				sen_asn_arena_reset(&arena);
				if (sen_ngap_decode(&d, pdu, len, &ctx) < 0)
					abort();
				if (kind == 3)
					decode_transfer(&d, &ctx);
				sink += d.msg.procedure_code;
			} else if (kind == 1 || kind == 4) { /* encode (4: the transfer first) */
				if (kind == 4) {
					int tl = sen_ngap_transfer_encode(
					    &sen_ngap_setup_request_transfer_type, pss_tr, tout,
					    sizeof(tout));
					if (tl <= 0)
						abort();
					pss_item->transfer =
					    (struct sen_asn_octets){tout, (uint32_t)tl};
				}
				int k = sen_ngap_encode(msg, out, sizeof(out));
				if (k <= 0)
					abort();
				sink += out[k - 1];
			} else { /* baseline: copy + checksum */
				memcpy(out, pdu, len);
				uint64_t s = 0;
				for (size_t j = 0; j < len; j++)
					s += out[j];
				sink += s;
			}
		}
		n += 1000;
		t = now();
	} while (t - t0 < secs);
	double rate = (double)n / (t - t0);
	printf("%-48s %10.0f msg/s  %7.1f ns/msg\n", what, rate, 1e9 / rate);
	sen_asn_arena_fini(&arena);
	return rate;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	static uint8_t nas[64], iue_buf[256], pss_buf[256], tr_buf[128];

	/* Initial UE Message: RAN-UE-NGAP-ID, NAS-PDU (32-octet Registration Request), NR ULI,
	   RRC establishment cause, UE context request */
	struct sen_ngap_initial_ue_message iue = {0};
	int nl = sen_hex_decode("7e004171000d010011000000000099898877f71001002e04804080402f020101",
				nas, sizeof(nas));
	iue.ran_ue_ngap_id = 1001;
	iue.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)nl};
	iue.uli.present = SEN_NGAP_ULI_NR;
	iue.uli.u.nr.cgi.plmn = OCT("\x99\xf9\x07");
	iue.uli.u.nr.cgi.cell_id = BITS("\x00\x00\x00\x01\x00", 36);
	iue.uli.u.nr.tai.plmn = OCT("\x99\xf9\x07");
	iue.uli.u.nr.tai.tac = OCT("\x00\x00\x01");
	iue.rrc_establishment_cause = SEN_NGAP_RRC_MO_SIGNALLING;
	iue.has_ue_context_request = true;
	struct sen_ngap_pdu p_iue;
	sen_ngap_pdu_init(&p_iue, SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_UE_MESSAGE, &iue);
	int iue_len = sen_ngap_encode(&p_iue, iue_buf, sizeof(iue_buf));

	/* PDU Session Resource Setup Request with one session: transfer with session AMBR,
	   UL tunnel, PDU session type, one QoS flow (5QI 9) */
	struct sen_ngap_setup_request_transfer tr = {0};
	struct sen_ngap_qos_flow_setup_item flow = {0};
	tr.has_session_ambr = true;
	tr.session_ambr.dl = 1000000000;
	tr.session_ambr.ul = 500000000;
	tr.ul_tnl.u.gtp.addr = BITS("\x0a\x00\x00\x07", 32);
	tr.ul_tnl.u.gtp.teid = OCT("\x00\x00\x12\x34");
	flow.qfi = 1;
	flow.params.characteristics.u.non_dynamic.five_qi = 9;
	flow.params.arp.priority_level = 8;
	tr.qos_flows.items = &flow;
	tr.qos_flows.count = 1;
	int tl = sen_ngap_transfer_encode(&sen_ngap_setup_request_transfer_type, &tr, tr_buf,
					  sizeof(tr_buf));
	struct sen_ngap_ps_setup_item ps = {0};
	ps.psi = 1;
	ps.snssai.sst = OCT("\x01");
	ps.transfer = (struct sen_asn_octets){tr_buf, (uint32_t)tl};
	struct sen_ngap_pdu_session_resource_setup_request pss = {0};
	pss.amf_ue_ngap_id = 4294967301ULL;
	pss.ran_ue_ngap_id = 1001;
	pss.has_nas_pdu = true;
	pss.nas_pdu = iue.nas_pdu;
	pss.pdu_sessions.items = &ps;
	pss.pdu_sessions.count = 1;
	struct sen_ngap_pdu p_pss;
	sen_ngap_pdu_init(&p_pss, SEN_NGAP_INITIATING, SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP, &pss);
	int pss_len = sen_ngap_encode(&p_pss, pss_buf, sizeof(pss_buf));
	if (iue_len <= 0 || pss_len <= 0 || tl <= 0)
		return 1;

	printf("bench-ngap: one core, %.1f s per case (Initial UE Message %d octets, "
	       "PDU Session Resource Setup Request %d octets)\n",
	       secs, iue_len, pss_len);
	double base = run("baseline: copy+sum Initial UE Message octets", 2, iue_buf,
			  (size_t)iue_len, NULL, secs);
	double d1 = run("decode InitialUEMessage", 0, iue_buf, (size_t)iue_len, NULL, secs);
	run("encode InitialUEMessage", 1, NULL, 0, &p_iue, secs);
	pss_tr = &tr;
	pss_item = &ps;
	run("decode PDUSessionResourceSetupRequest+transfer", 3, pss_buf, (size_t)pss_len, NULL,
	    secs);
	run("encode PDUSessionResourceSetupRequest+transfer", 4, NULL, 0, &p_pss, secs);
	printf("ratio decode InitialUEMessage / baseline copy: %.3f\n", d1 / base);
	printf("goal >= 1000000 Initial UE Message decodes/s/core: %s\n",
	       d1 >= 1e6 ? "met" : "NOT met");
	bench_summary("ngap", "decode InitialUEMessage (ratio: to copying its octets)", d1 / 1e6,
		      "M msg/s/core", d1 / base, ">= 1 M/s/core", d1 >= 1e6);
	return 0;
}
