/*
 * JSON forms of the UDR's subscriber data (see udr_json.h): the TS 29.505 / TS 29.503 data
 * sets served on Nudr-DR, the Sen provisioning form, and the TS 29.571 scalar types.
 *
 * Member names are those of the 3GPP OpenAPI files (TS29505_Subscription_Data.yaml,
 * TS29503_Nudm_SDM.yaml, TS29571_CommonData.yaml). Enumerations are written with their
 * OpenAPI names (PduSessionType "IPV4", PreemptionCapability "NOT_PREEMPT" …).
 */
#include "udr_json.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/err.h"
#include "core/hex.h"
#include "crypto/milenage.h"

/* clang-format off */
static const char *const pdu_names[SEN_UDR_PDU_MAX] = {
	[SEN_UDR_PDU_IPV4] = "IPV4",
	[SEN_UDR_PDU_IPV6] = "IPV6",
	[SEN_UDR_PDU_IPV4V6] = "IPV4V6",
	[SEN_UDR_PDU_UNSTRUCTURED] = "UNSTRUCTURED",
	[SEN_UDR_PDU_ETHERNET] = "ETHERNET",
};
/* clang-format on */

static int fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	if (why && whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -SEN_EINVAL;
}

static void wipe(cJSON *j)
{
	for (; j; j = j->next) {
		if (j->valuestring)
			OPENSSL_cleanse(j->valuestring, strlen(j->valuestring));
		wipe(j->child);
	}
}

void sen_udr_json_wipe_delete(cJSON *j)
{
	if (!j)
		return;
	if (j->valuestring)
		OPENSSL_cleanse(j->valuestring, strlen(j->valuestring));
	wipe(j->child);
	cJSON_Delete(j);
}

/* ---------------------------------------------------------------------------------------- */
/* TS 29.571 BitRate.                                                                         */

static const char *const rate_units[] = {"bps", "Kbps", "Mbps", "Gbps", "Tbps"};

char *sen_udr_bitrate_format(uint64_t bps, char out[SEN_UDR_BITRATE_SIZE])
{
	/* Move to the next unit while the value stays >= 1 and exact in three decimals of it
	 * (bps a multiple of the current unit, which is a thousandth of the next). */
	uint64_t div = 1;
	int u = 0;
	while (u < 4 && bps / 1000 >= div && bps % div == 0) {
		div *= 1000;
		u++;
	}
	uint64_t whole = bps / div, frac = bps % div;
	if (frac == 0) {
		snprintf(out, SEN_UDR_BITRATE_SIZE, "%" PRIu64 " %s", whole, rate_units[u]);
	} else {
		/* frac is a multiple of div / 1000 (checked in the loop): three decimals. */
		unsigned f = (unsigned)(frac / (div / 1000));
		char d[4];
		snprintf(d, sizeof(d), "%03u", f);
		for (int i = 2; i > 0 && d[i] == '0'; i--)
			d[i] = '\0';
		snprintf(out, SEN_UDR_BITRATE_SIZE, "%" PRIu64 ".%s %s", whole, d, rate_units[u]);
	}
	return out;
}

int sen_udr_bitrate_parse(const char *s, uint64_t *bps)
{
	uint64_t whole = 0, frac = 0, fdiv = 1;
	const char *p = s;
	int nd = 0;

	if (!s || !bps)
		return -SEN_EINVAL;
	for (; *p >= '0' && *p <= '9'; p++, nd++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -SEN_EINVAL;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (nd == 0)
		return -SEN_EINVAL;
	if (*p == '.') {
		p++;
		nd = 0;
		for (; *p >= '0' && *p <= '9'; p++, nd++) {
			if (nd >= 12)
				return -SEN_EINVAL;
			frac = frac * 10 + (uint64_t)(*p - '0');
			fdiv *= 10;
		}
		if (nd == 0)
			return -SEN_EINVAL;
	}
	if (*p == ' ')
		p++;
	uint64_t mul = 1;
	size_t u;
	for (u = 0; u < sizeof(rate_units) / sizeof(rate_units[0]); u++, mul *= 1000)
		if (!strcmp(p, rate_units[u]))
			break;
	if (u == sizeof(rate_units) / sizeof(rate_units[0]))
		return -SEN_EINVAL;
	/* value = whole * mul + frac * mul / fdiv, which must be a whole number of bit/s. */
	if (whole > (uint64_t)INT64_MAX / mul)
		return -SEN_EINVAL;
	uint64_t v = whole * mul;
	if (frac) {
		/* frac < fdiv <= 10^12 and mul <= 10^12: use 128-bit arithmetic. */
		unsigned __int128 f = (unsigned __int128)frac * mul;
		if (f % fdiv)
			return -SEN_EINVAL;
		f /= fdiv;
		if (f > (unsigned __int128)((uint64_t)INT64_MAX - v))
			return -SEN_EINVAL;
		v += (uint64_t)f;
	}
	*bps = v;
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Snssai.                                                                                    */

cJSON *sen_udr_json_snssai(uint8_t sst, uint32_t sd)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddNumberToObject(o, "sst", sst))
		goto oom;
	if (sd != SEN_UDR_SD_NONE) {
		char t[8];
		snprintf(t, sizeof(t), "%06x", (unsigned)sd);
		if (!cJSON_AddStringToObject(o, "sd", t))
			goto oom;
	}
	return o;
oom:
	cJSON_Delete(o);
	return NULL;
}

static bool sd_parse(const char *s, uint32_t *sd)
{
	uint8_t b[3];
	if (strlen(s) != 6 || sen_hex_decode_exact(s, b, 3) < 0)
		return false;
	*sd = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
	return true;
}

/* An integral JSON number in min..max. */
static bool json_int(const cJSON *j, int64_t min, int64_t max, int64_t *out)
{
	if (!cJSON_IsNumber(j))
		return false;
	double d = j->valuedouble;
	if (!(d >= (double)min && d <= (double)max) || floor(d) != d)
		return false;
	*out = (int64_t)d;
	return true;
}

int sen_udr_json_parse_snssai(const cJSON *j, uint8_t *sst, uint32_t *sd)
{
	int64_t v;
	const cJSON *c;

	if (!cJSON_IsObject(j) || !json_int(cJSON_GetObjectItemCaseSensitive(j, "sst"), 0, 255, &v))
		return -SEN_EINVAL;
	*sst = (uint8_t)v;
	*sd = SEN_UDR_SD_NONE;
	cJSON_ArrayForEach(c, j)
	{
		if (!strcmp(c->string, "sst"))
			continue;
		if (strcmp(c->string, "sd") || !cJSON_IsString(c) || !sd_parse(c->valuestring, sd))
			return -SEN_EINVAL;
	}
	return 0;
}

int sen_udr_snssai_parse(const char *s, char sep, uint8_t *sst, uint32_t *sd)
{
	unsigned v = 0;
	int n = 0;

	if (!s)
		return -SEN_EINVAL;
	for (; s[n] >= '0' && s[n] <= '9'; n++) {
		if (n == 3)
			return -SEN_EINVAL;
		v = v * 10 + (unsigned)(s[n] - '0');
	}
	if (n == 0 || v > 255)
		return -SEN_EINVAL;
	*sst = (uint8_t)v;
	*sd = SEN_UDR_SD_NONE;
	if (s[n] == '\0')
		return 0;
	if (s[n] != sep || !sd_parse(s + n + 1, sd))
		return -SEN_EINVAL;
	return 0;
}

void sen_udr_snssai_format(uint8_t sst, uint32_t sd, char sep, char out[16])
{
	if (sd == SEN_UDR_SD_NONE)
		snprintf(out, 16, "%u", sst);
	else
		snprintf(out, 16, "%u%c%06x", sst, sep, (unsigned)sd);
}

/* ---------------------------------------------------------------------------------------- */
/* TS 29.505 / TS 29.503 data sets.                                                           */

/* TS 29.571 Ambr / AmbrRm {uplink, downlink} as BitRate strings. */
static cJSON *ambr(uint64_t ul, uint64_t dl)
{
	char a[SEN_UDR_BITRATE_SIZE], b[SEN_UDR_BITRATE_SIZE];
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "uplink", sen_udr_bitrate_format(ul, a)) ||
	    !cJSON_AddStringToObject(o, "downlink", sen_udr_bitrate_format(dl, b))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static bool add_item(cJSON *o, const char *name, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToObject(o, name, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

static bool add_to_array(cJSON *a, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToArray(a, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

cJSON *sen_udr_json_auth_subscription(const struct sen_udr_auth *auth, uint64_t sqn)
{
	char k[33], opc[33], amf[5], sqn_hex[13];
	uint8_t opc_b[16];
	cJSON *o = cJSON_CreateObject(), *seq = NULL, *last;

	if (!o)
		return NULL;
	if (auth->op_kind == SEN_UDR_OP) {
		/* TS 35.206 4.1: OPc = E_K(OP) xor OP; the UDM is given OPc only. */
		if (sen_milenage_opc(auth->k, auth->op, opc_b) < 0)
			goto fail;
	} else {
		memcpy(opc_b, auth->op, 16);
	}
	snprintf(sqn_hex, sizeof(sqn_hex), "%012" PRIx64, (uint64_t)(sqn & SEN_UDR_SQN_MAX));
	/* TS 29.505 AuthenticationSubscription (OpenAPI schema of that name). */
	if (!cJSON_AddStringToObject(o, "authenticationMethod", "5G_AKA") ||
	    !cJSON_AddStringToObject(o, "encPermanentKey", sen_hex_encode(auth->k, 16, k)) ||
	    !cJSON_AddStringToObject(o, "protectionParameterId", "none") ||
	    !(seq = cJSON_AddObjectToObject(o, "sequenceNumber")) ||
	    /* TS 33.102 Annex C.3: SQN = SEQ || IND, not time based. */
	    !cJSON_AddStringToObject(seq, "sqnScheme", "NON_TIME_BASED") ||
	    !cJSON_AddStringToObject(seq, "sqn", sqn_hex) ||
	    !(last = cJSON_AddObjectToObject(seq, "lastIndexes")) ||
	    !cJSON_AddNumberToObject(last, "ausf",
				     (double)(sqn & ((1u << SEN_UDR_IND_BITS) - 1))) ||
	    !cJSON_AddNumberToObject(seq, "indLength", SEN_UDR_IND_BITS) ||
	    !cJSON_AddStringToObject(o, "authenticationManagementField",
				     sen_hex_encode(auth->amf, 2, amf)) ||
	    !cJSON_AddStringToObject(o, "algorithmId", "milenage") ||
	    !cJSON_AddStringToObject(o, "encOpcKey", sen_hex_encode(opc_b, 16, opc)))
		goto fail;
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	OPENSSL_cleanse(opc_b, sizeof(opc_b));
	return o;
fail:
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	OPENSSL_cleanse(opc_b, sizeof(opc_b));
	cJSON_Delete(o);
	return NULL;
}

cJSON *sen_udr_json_am_data(const struct sen_udr_subscriber *sub)
{
	cJSON *o = cJSON_CreateObject(), *a, *nssai, *def, *other;

	if (!o)
		return NULL;
	if (sub->n_gpsis) {
		if (!(a = cJSON_AddArrayToObject(o, "gpsis")))
			goto fail;
		for (size_t i = 0; i < sub->n_gpsis; i++)
			if (!add_to_array(a, cJSON_CreateString(sub->gpsis[i])))
				goto fail;
	}
	if ((sub->ue_ambr_ul || sub->ue_ambr_dl) &&
	    !add_item(o, "subscribedUeAmbr", ambr(sub->ue_ambr_ul, sub->ue_ambr_dl)))
		goto fail;
	/* TS 29.503 Nssai: defaultSingleNssais (1..N) and singleNssais (the others). */
	if (!(nssai = cJSON_AddObjectToObject(o, "nssai")) ||
	    !(def = cJSON_AddArrayToObject(nssai, "defaultSingleNssais")))
		goto fail;
	other = NULL;
	for (size_t i = 0; i < sub->n_slices; i++) {
		const struct sen_udr_slice *sl = &sub->slices[i];
		cJSON *to = def;
		if (!sl->is_default) {
			if (!other && !(other = cJSON_AddArrayToObject(nssai, "singleNssais")))
				goto fail;
			to = other;
		}
		if (!add_to_array(to, sen_udr_json_snssai(sl->sst, sl->sd)))
			goto fail;
	}
	if (sub->barred) {
		/*
		 * A barred subscriber: the 5GC is a core network type the UE may not use
		 * (TS 29.503 coreNetworkTypeRestrictions, TS 29.571 CoreNetworkType "5GC"), and
		 * all packet services are barred by the operator (odbPacketServices
		 * ALL_PACKET_SERVICES, TS 23.015 ODB).
		 */
		cJSON *cn = cJSON_AddArrayToObject(o, "coreNetworkTypeRestrictions");
		if (!cn || !add_to_array(cn, cJSON_CreateString("5GC")) ||
		    !cJSON_AddStringToObject(o, "odbPacketServices", "ALL_PACKET_SERVICES"))
			goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

cJSON *sen_udr_json_smf_sel_data(const struct sen_udr_subscriber *sub)
{
	cJSON *o = cJSON_CreateObject(), *infos;

	if (!o || !(infos = cJSON_AddObjectToObject(o, "subscribedSnssaiInfos")))
		goto fail;
	for (size_t i = 0; i < sub->n_slices; i++) {
		const struct sen_udr_slice *sl = &sub->slices[i];
		char key[16];
		cJSON *info, *dnns;

		sen_udr_snssai_format(sl->sst, sl->sd, '-', key);
		if (!(info = cJSON_AddObjectToObject(infos, key)) ||
		    !(dnns = cJSON_AddArrayToObject(info, "dnnInfos")))
			goto fail;
		for (size_t d = 0; d < sl->n_dnns; d++) {
			cJSON *di = cJSON_CreateObject();
			if (!add_to_array(dnns, di) ||
			    !cJSON_AddStringToObject(di, "dnn", sl->dnns[d].dnn) ||
			    !cJSON_AddBoolToObject(di, "defaultDnnIndicator",
						   sl->dnns[d].is_default))
				goto fail;
		}
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

/* TS 29.503 DnnConfiguration of one DNN. */
static cJSON *dnn_config(const struct sen_udr_dnn *dn)
{
	cJSON *o = cJSON_CreateObject(), *t, *a, *q, *arp;

	if (!o || !(t = cJSON_AddObjectToObject(o, "pduSessionTypes")) ||
	    !cJSON_AddStringToObject(t, "defaultSessionType", pdu_names[dn->pdu_type]))
		goto fail;
	if (dn->pdu_type == SEN_UDR_PDU_IPV4V6) {
		/* TS 23.501 5.8.2.2.1: an IPv4v6 subscription also allows IPv4 and IPv6. */
		if (!(a = cJSON_AddArrayToObject(t, "allowedSessionTypes")) ||
		    !add_to_array(a, cJSON_CreateString("IPV4V6")) ||
		    !add_to_array(a, cJSON_CreateString("IPV4")) ||
		    !add_to_array(a, cJSON_CreateString("IPV6")))
			goto fail;
	}
	/* TS 23.501 5.6.9.2: SSC mode 1 (the anchor is kept) is what Sen's SMF provides. */
	if (!(t = cJSON_AddObjectToObject(o, "sscModes")) ||
	    !cJSON_AddStringToObject(t, "defaultSscMode", "SSC_MODE_1") ||
	    !(a = cJSON_AddArrayToObject(t, "allowedSscModes")) ||
	    !add_to_array(a, cJSON_CreateString("SSC_MODE_1")))
		goto fail;
	/* TS 29.571 SubscribedDefaultQos {5qi, arp, priorityLevel?}. */
	if (!(q = cJSON_AddObjectToObject(o, "5gQosProfile")) ||
	    !cJSON_AddNumberToObject(q, "5qi", dn->qi5) ||
	    !(arp = cJSON_AddObjectToObject(q, "arp")) ||
	    !cJSON_AddNumberToObject(arp, "priorityLevel", dn->arp_priority) ||
	    !cJSON_AddStringToObject(arp, "preemptCap",
				     dn->arp_preempt_cap ? "MAY_PREEMPT" : "NOT_PREEMPT") ||
	    !cJSON_AddStringToObject(arp, "preemptVuln",
				     dn->arp_preempt_vuln ? "PREEMPTABLE" : "NOT_PREEMPTABLE"))
		goto fail;
	if ((dn->ambr_ul || dn->ambr_dl) &&
	    !add_item(o, "sessionAmbr", ambr(dn->ambr_ul, dn->ambr_dl)))
		goto fail;
	if (dn->has_static_ipv4) {
		char ip[INET_ADDRSTRLEN];
		cJSON *ips = cJSON_AddArrayToObject(o, "staticIpAddress"),
		      *ipa = cJSON_CreateObject();
		if (!ips || !add_to_array(ips, ipa) ||
		    !inet_ntop(AF_INET, &dn->static_ipv4, ip, sizeof(ip)) ||
		    !cJSON_AddStringToObject(ipa, "ipv4Addr", ip))
			goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

cJSON *sen_udr_json_sm_data(const struct sen_udr_subscriber *sub, bool has_snssai, uint8_t sst,
			    uint32_t sd, const char *dnn)
{
	cJSON *arr = cJSON_CreateArray();

	if (!arr)
		return NULL;
	for (size_t i = 0; i < sub->n_slices; i++) {
		const struct sen_udr_slice *sl = &sub->slices[i];
		cJSON *smd, *cfgs;
		size_t n = 0;

		if (has_snssai && (sl->sst != sst || sl->sd != sd))
			continue;
		for (size_t d = 0; d < sl->n_dnns; d++)
			n += !dnn || !strcasecmp(dnn, sl->dnns[d].dnn);
		if (dnn && n == 0)
			continue;
		smd = cJSON_CreateObject();
		if (!add_to_array(arr, smd) ||
		    !add_item(smd, "singleNssai", sen_udr_json_snssai(sl->sst, sl->sd)) ||
		    !(cfgs = cJSON_AddObjectToObject(smd, "dnnConfigurations")))
			goto fail;
		for (size_t d = 0; d < sl->n_dnns; d++) {
			if (dnn && strcasecmp(dnn, sl->dnns[d].dnn))
				continue;
			if (!add_item(cfgs, sl->dnns[d].dnn, dnn_config(&sl->dnns[d])))
				goto fail;
		}
	}
	return arr;
fail:
	cJSON_Delete(arr);
	return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Sen provisioning form.                                                                     */

static cJSON *prov_dnn(const struct sen_udr_dnn *dn)
{
	cJSON *o = cJSON_CreateObject(), *arp;

	if (!o || !cJSON_AddStringToObject(o, "dnn", dn->dnn) ||
	    !cJSON_AddBoolToObject(o, "default", dn->is_default) ||
	    !cJSON_AddStringToObject(o, "pduSessionType", pdu_names[dn->pdu_type]) ||
	    !cJSON_AddNumberToObject(o, "5qi", dn->qi5) ||
	    !(arp = cJSON_AddObjectToObject(o, "arp")) ||
	    !cJSON_AddNumberToObject(arp, "priorityLevel", dn->arp_priority) ||
	    !cJSON_AddStringToObject(arp, "preemptCap",
				     dn->arp_preempt_cap ? "MAY_PREEMPT" : "NOT_PREEMPT") ||
	    !cJSON_AddStringToObject(arp, "preemptVuln",
				     dn->arp_preempt_vuln ? "PREEMPTABLE" : "NOT_PREEMPTABLE"))
		goto fail;
	if ((dn->ambr_ul || dn->ambr_dl) &&
	    !add_item(o, "sessionAmbr", ambr(dn->ambr_ul, dn->ambr_dl)))
		goto fail;
	if (dn->has_static_ipv4) {
		char ip[INET_ADDRSTRLEN];
		if (!inet_ntop(AF_INET, &dn->static_ipv4, ip, sizeof(ip)) ||
		    !cJSON_AddStringToObject(o, "staticIpv4", ip))
			goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

cJSON *sen_udr_json_prov(const struct sen_udr_subscriber *sub, bool secrets)
{
	char hex[33], sqn[13];
	cJSON *o = cJSON_CreateObject(), *a;

	if (!o || !cJSON_AddStringToObject(o, "supi", sub->supi) ||
	    !cJSON_AddStringToObject(o, "authenticationMethod", "5G_AKA"))
		goto fail;
	if (secrets) {
		const char *opname = sub->auth.op_kind == SEN_UDR_OP ? "op" : "opc";
		bool ok = cJSON_AddStringToObject(o, "k", sen_hex_encode(sub->auth.k, 16, hex)) &&
			  cJSON_AddStringToObject(o, opname, sen_hex_encode(sub->auth.op, 16, hex));
		OPENSSL_cleanse(hex, sizeof(hex));
		if (!ok)
			goto fail;
	} else if (!cJSON_AddStringToObject(o, "opType",
					    sub->auth.op_kind == SEN_UDR_OP ? "OP" : "OPC")) {
		goto fail;
	}
	snprintf(sqn, sizeof(sqn), "%012" PRIx64, sub->auth.sqn);
	if (!cJSON_AddStringToObject(o, "amf", sen_hex_encode(sub->auth.amf, 2, hex)) ||
	    !cJSON_AddStringToObject(o, "sqn", sqn))
		goto fail;
	if (!(a = cJSON_AddArrayToObject(o, "gpsis")))
		goto fail;
	for (size_t i = 0; i < sub->n_gpsis; i++)
		if (!add_to_array(a, cJSON_CreateString(sub->gpsis[i])))
			goto fail;
	if ((sub->ue_ambr_ul || sub->ue_ambr_dl) &&
	    !add_item(o, "subscribedUeAmbr", ambr(sub->ue_ambr_ul, sub->ue_ambr_dl)))
		goto fail;
	if (!cJSON_AddBoolToObject(o, "barred", sub->barred) ||
	    !(a = cJSON_AddArrayToObject(o, "slices")))
		goto fail;
	for (size_t i = 0; i < sub->n_slices; i++) {
		const struct sen_udr_slice *sl = &sub->slices[i];
		cJSON *so = sen_udr_json_snssai(sl->sst, sl->sd), *dnns;
		if (!add_to_array(a, so) || !cJSON_AddBoolToObject(so, "default", sl->is_default) ||
		    !(dnns = cJSON_AddArrayToObject(so, "dnns")))
			goto fail;
		for (size_t d = 0; d < sl->n_dnns; d++)
			if (!add_to_array(dnns, prov_dnn(&sl->dnns[d])))
				goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

/* Key material from a hex member: exactly 16 bytes (32 hex digits). The value is never
 * echoed in the reason. */
static int hex_member(const cJSON *c, uint8_t *out, size_t len, char *why, size_t whylen)
{
	if (!cJSON_IsString(c))
		return fail(why, whylen, "%s: must be a string of %zu hex digits", c->string,
			    2 * len);
	if (strlen(c->valuestring) != 2 * len || sen_hex_decode_exact(c->valuestring, out, len) < 0)
		return fail(why, whylen, "%s: must be %zu hex digits (%zu bytes)", c->string,
			    2 * len, len);
	return 0;
}

static int ambr_member(const cJSON *c, uint64_t *ul, uint64_t *dl, const char *where, char *why,
		       size_t whylen)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(c, "uplink");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(c, "downlink");
	if (!cJSON_IsObject(c) || cJSON_GetArraySize(c) != 2 || !cJSON_IsString(u) ||
	    !cJSON_IsString(d))
		return fail(why, whylen, "%s: must be {\"uplink\": BitRate, \"downlink\": BitRate}",
			    where);
	if (sen_udr_bitrate_parse(u->valuestring, ul) < 0)
		return fail(why, whylen, "%s.uplink: not a BitRate (e.g. \"100 Mbps\")", where);
	if (sen_udr_bitrate_parse(d->valuestring, dl) < 0)
		return fail(why, whylen, "%s.downlink: not a BitRate (e.g. \"100 Mbps\")", where);
	return 0;
}

static int bool_member(const cJSON *c, bool *b, const char *where, char *why, size_t whylen)
{
	if (!cJSON_IsBool(c))
		return fail(why, whylen, "%s: must be true or false", where);
	*b = cJSON_IsTrue(c);
	return 0;
}

static int arp_member(const cJSON *c, struct sen_udr_dnn *dn, const char *where, char *why,
		      size_t whylen)
{
	const cJSON *m;
	int64_t v;

	if (!cJSON_IsObject(c))
		return fail(why, whylen, "%s.arp: must be an object", where);
	cJSON_ArrayForEach(m, c)
	{
		const char *n = m->string;
		if (!strcmp(n, "priorityLevel")) {
			if (!json_int(m, 1, 15, &v))
				return fail(why, whylen, "%s.arp.priorityLevel: must be 1..15",
					    where);
			dn->arp_priority = (uint8_t)v;
		} else if (!strcmp(n, "preemptCap") && cJSON_IsString(m) &&
			   (!strcmp(m->valuestring, "MAY_PREEMPT") ||
			    !strcmp(m->valuestring, "NOT_PREEMPT"))) {
			dn->arp_preempt_cap = !strcmp(m->valuestring, "MAY_PREEMPT");
		} else if (!strcmp(n, "preemptVuln") && cJSON_IsString(m) &&
			   (!strcmp(m->valuestring, "PREEMPTABLE") ||
			    !strcmp(m->valuestring, "NOT_PREEMPTABLE"))) {
			dn->arp_preempt_vuln = !strcmp(m->valuestring, "PREEMPTABLE");
		} else {
			return fail(why, whylen, "%s.arp.%s: unknown member or bad value", where,
				    n);
		}
	}
	return 0;
}

static int prov_parse_dnn(const cJSON *j, struct sen_udr_dnn *dn, const char *where, char *why,
			  size_t whylen)
{
	const cJSON *m;
	int64_t v;
	bool have_name = false;

	/* Defaults: IPv4, 5QI 9 (TS 23.501 Table 5.7.4-1, best effort), ARP 8, no pre-emption. */
	memset(dn, 0, sizeof(*dn));
	dn->pdu_type = SEN_UDR_PDU_IPV4;
	dn->qi5 = 9;
	dn->arp_priority = 8;
	dn->arp_preempt_vuln = true;
	if (!cJSON_IsObject(j))
		return fail(why, whylen, "%s: must be an object", where);
	cJSON_ArrayForEach(m, j)
	{
		const char *n = m->string;
		if (!strcmp(n, "dnn")) {
			if (!cJSON_IsString(m) || !m->valuestring[0] ||
			    strlen(m->valuestring) >= sizeof(dn->dnn))
				return fail(why, whylen, "%s.dnn: must be a DNN name", where);
			strcpy(dn->dnn, m->valuestring);
			have_name = true;
		} else if (!strcmp(n, "default")) {
			if (bool_member(m, &dn->is_default, "default", why, whylen) < 0)
				return -SEN_EINVAL;
		} else if (!strcmp(n, "pduSessionType")) {
			int t = -1;
			for (int i = 0; cJSON_IsString(m) && i < SEN_UDR_PDU_MAX; i++)
				if (!strcmp(m->valuestring, pdu_names[i]))
					t = i;
			if (t < 0)
				return fail(why, whylen,
					    "%s.pduSessionType: must be IPV4, IPV6, IPV4V6, "
					    "UNSTRUCTURED or ETHERNET",
					    where);
			dn->pdu_type = (enum sen_udr_pdu_type)t;
		} else if (!strcmp(n, "5qi")) {
			if (!json_int(m, 1, 255, &v))
				return fail(why, whylen, "%s.5qi: must be 1..255", where);
			dn->qi5 = (uint8_t)v;
		} else if (!strcmp(n, "arp")) {
			if (arp_member(m, dn, where, why, whylen) < 0)
				return -SEN_EINVAL;
		} else if (!strcmp(n, "sessionAmbr")) {
			if (ambr_member(m, &dn->ambr_ul, &dn->ambr_dl, "sessionAmbr", why, whylen) <
			    0)
				return -SEN_EINVAL;
		} else if (!strcmp(n, "staticIpv4")) {
			if (!cJSON_IsString(m) ||
			    inet_pton(AF_INET, m->valuestring, &dn->static_ipv4) != 1)
				return fail(why, whylen, "%s.staticIpv4: must be an IPv4 address",
					    where);
			dn->has_static_ipv4 = true;
		} else {
			return fail(why, whylen, "%s.%s: unknown member", where, n);
		}
	}
	if (!have_name)
		return fail(why, whylen, "%s.dnn: missing", where);
	return 0;
}

static int prov_parse_slice(const cJSON *j, struct sen_udr_slice *sl, const char *where, char *why,
			    size_t whylen)
{
	const cJSON *m;
	int64_t v;
	bool have_sst = false;

	memset(sl, 0, sizeof(*sl));
	sl->sd = SEN_UDR_SD_NONE;
	if (!cJSON_IsObject(j))
		return fail(why, whylen, "%s: must be an object", where);
	cJSON_ArrayForEach(m, j)
	{
		const char *n = m->string;
		if (!strcmp(n, "sst")) {
			if (!json_int(m, 0, 255, &v))
				return fail(why, whylen, "%s.sst: must be 0..255", where);
			sl->sst = (uint8_t)v;
			have_sst = true;
		} else if (!strcmp(n, "sd")) {
			if (!cJSON_IsString(m) || !sd_parse(m->valuestring, &sl->sd))
				return fail(why, whylen, "%s.sd: must be 6 hex digits", where);
		} else if (!strcmp(n, "default")) {
			if (bool_member(m, &sl->is_default, "default", why, whylen) < 0)
				return -SEN_EINVAL;
		} else if (!strcmp(n, "dnns")) {
			const cJSON *d;
			if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) > SEN_UDR_MAX_DNNS)
				return fail(why, whylen, "%s.dnns: must be an array of at most %d",
					    where, SEN_UDR_MAX_DNNS);
			cJSON_ArrayForEach(d, m)
			{
				char w[64];
				snprintf(w, sizeof(w), "%s.dnns[%zu]", where, sl->n_dnns);
				if (prov_parse_dnn(d, &sl->dnns[sl->n_dnns], w, why, whylen) < 0)
					return -SEN_EINVAL;
				for (size_t e = 0; e < sl->n_dnns; e++)
					if (!strcasecmp(sl->dnns[e].dnn, sl->dnns[sl->n_dnns].dnn))
						return fail(why, whylen, "%s: DNN %s given twice",
							    w, sl->dnns[e].dnn);
				sl->n_dnns++;
			}
		} else {
			return fail(why, whylen, "%s.%s: unknown member", where, n);
		}
	}
	if (!have_sst)
		return fail(why, whylen, "%s.sst: missing", where);
	return 0;
}

int sen_udr_json_parse_prov(const cJSON *j, struct sen_udr_subscriber *sub, char *why,
			    size_t whylen)
{
	const cJSON *m;
	bool have_k = false, have_op = false;
	int rc = -SEN_EINVAL;

	if (!cJSON_IsObject(j))
		return fail(why, whylen, "the subscriber must be a JSON object");
	const cJSON *supi = cJSON_GetObjectItemCaseSensitive(j, "supi");
	if (!cJSON_IsString(supi) || !sen_udr_supi_valid(supi->valuestring))
		return fail(why, whylen, "supi: must be \"imsi-\" and 5 to 15 digits");
	sen_udr_subscriber_init(sub, supi->valuestring);
	cJSON_ArrayForEach(m, j)
	{
		const char *n = m->string;
		if (!strcmp(n, "supi")) {
			continue;
		} else if (!strcmp(n, "authenticationMethod")) {
			if (!cJSON_IsString(m) || strcmp(m->valuestring, "5G_AKA")) {
				fail(why, whylen,
				     "authenticationMethod: only \"5G_AKA\" is supported");
				goto out;
			}
		} else if (!strcmp(n, "k")) {
			if (hex_member(m, sub->auth.k, 16, why, whylen) < 0)
				goto out;
			have_k = true;
		} else if (!strcmp(n, "opc") || !strcmp(n, "op")) {
			if (have_op) {
				fail(why, whylen, "give one of opc and op, not both");
				goto out;
			}
			if (hex_member(m, sub->auth.op, 16, why, whylen) < 0)
				goto out;
			sub->auth.op_kind = !strcmp(n, "op") ? SEN_UDR_OP : SEN_UDR_OPC;
			have_op = true;
		} else if (!strcmp(n, "amf")) {
			if (hex_member(m, sub->auth.amf, 2, why, whylen) < 0)
				goto out;
			/* TS 33.102 Annex H, TS 33.501 6.1.3.2: separation bit 1. */
			if (!(sub->auth.amf[0] & 0x80)) {
				fail(why, whylen,
				     "amf: the separation bit (the first bit) must be 1");
				goto out;
			}
		} else if (!strcmp(n, "sqn")) {
			uint8_t b[6];
			if (!cJSON_IsString(m) || strlen(m->valuestring) != 12 ||
			    sen_hex_decode_exact(m->valuestring, b, 6) < 0) {
				fail(why, whylen, "sqn: must be 12 hex digits (48 bits)");
				goto out;
			}
			sub->auth.sqn = 0;
			for (int i = 0; i < 6; i++)
				sub->auth.sqn = sub->auth.sqn << 8 | b[i];
		} else if (!strcmp(n, "gpsis")) {
			const cJSON *g;
			if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) > SEN_UDR_MAX_GPSIS) {
				fail(why, whylen, "gpsis: must be an array of at most %d",
				     SEN_UDR_MAX_GPSIS);
				goto out;
			}
			cJSON_ArrayForEach(g, m)
			{
				if (!cJSON_IsString(g) ||
				    strlen(g->valuestring) >= SEN_UDR_GPSI_SIZE) {
					fail(why, whylen, "gpsis: each must be a GPSI string");
					goto out;
				}
				strcpy(sub->gpsis[sub->n_gpsis++], g->valuestring);
			}
		} else if (!strcmp(n, "subscribedUeAmbr")) {
			if (ambr_member(m, &sub->ue_ambr_ul, &sub->ue_ambr_dl, n, why, whylen) < 0)
				goto out;
		} else if (!strcmp(n, "barred")) {
			if (bool_member(m, &sub->barred, n, why, whylen) < 0)
				goto out;
		} else if (!strcmp(n, "opType")) {
			/* Printed by GET without secrets; accepted so a GET can be edited and
			 * sent back, but the kind follows from "op" / "opc". */
			continue;
		} else if (!strcmp(n, "slices")) {
			const cJSON *s;
			if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) < 1 ||
			    cJSON_GetArraySize(m) > SEN_UDR_MAX_SLICES) {
				fail(why, whylen, "slices: must be an array of 1 to %d S-NSSAIs",
				     SEN_UDR_MAX_SLICES);
				goto out;
			}
			cJSON_ArrayForEach(s, m)
			{
				char w[32];
				snprintf(w, sizeof(w), "slices[%zu]", sub->n_slices);
				if (prov_parse_slice(s, &sub->slices[sub->n_slices], w, why,
						     whylen) < 0)
					goto out;
				sub->n_slices++;
			}
		} else {
			fail(why, whylen, "%s: unknown member", n);
			goto out;
		}
	}
	if (!have_k) {
		fail(why, whylen, "k: missing");
		goto out;
	}
	if (!have_op) {
		fail(why, whylen, "opc or op: missing");
		goto out;
	}
	if (sub->n_slices == 0) {
		fail(why, whylen, "slices: missing (at least one S-NSSAI)");
		goto out;
	}
	bool any_default = false;
	for (size_t i = 0; i < sub->n_slices; i++) {
		size_t nd = 0;
		any_default |= sub->slices[i].is_default;
		for (size_t j2 = 0; j2 < i; j2++)
			if (sub->slices[j2].sst == sub->slices[i].sst &&
			    sub->slices[j2].sd == sub->slices[i].sd) {
				fail(why, whylen, "slices[%zu]: S-NSSAI given twice", i);
				goto out;
			}
		for (size_t d = 0; d < sub->slices[i].n_dnns; d++)
			nd += sub->slices[i].dnns[d].is_default;
		if (nd > 1) {
			fail(why, whylen, "slices[%zu]: more than one default DNN", i);
			goto out;
		}
	}
	if (!any_default) {
		fail(why, whylen, "slices: no S-NSSAI has \"default\": true");
		goto out;
	}
	if (sen_udr_subscriber_check(sub) < 0) {
		/* What remains: GPSI or DNN syntax (TS 23.003 3.3, 19.7.2, 9.1). */
		fail(why, whylen,
		     "gpsis or dnn: malformed GPSI (msisdn-<digits> | extid-<id>@<realm>) "
		     "or DNN name (TS 23.003 9.1)");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		OPENSSL_cleanse(&sub->auth, sizeof(sub->auth));
	return rc;
}
