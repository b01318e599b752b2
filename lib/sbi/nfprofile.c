/*
 * NFProfile JSON model (TS 29.510 6.1.6.2.2 NFProfile, 6.1.6.2.3 NFService, 6.1.6.2.x
 * per-type infos; TS 29.571 PlmnId, Snssai, SupiRange, Guami): the builder a Sen NF
 * registers with, and the readers the NRF's discovery filters and the NRF client's peer
 * selection share. See nfprofile.h.
 */
#include "sbi/nfprofile.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "core/err.h"

int sen_nf_uuid_v4(char out[SEN_NF_UUID_LEN])
{
	uint8_t b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);
		if (n <= 0)
			return -SEN_EIO;
		got += (size_t)n;
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* variant 10 */
	snprintf(out, SEN_NF_UUID_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
		 b[15]);
	return 0;
}

bool sen_nf_uuid_valid(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

const char *sen_nf_json_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

cJSON *sen_nf_plmn_json(const struct sen_cfg_plmn *p)
{
	cJSON *j = cJSON_CreateObject();

	if (j && (!cJSON_AddStringToObject(j, "mcc", p->mcc) ||
		  !cJSON_AddStringToObject(j, "mnc", p->mnc))) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

cJSON *sen_nf_snssai_json(const struct sen_cfg_slice *s)
{
	cJSON *j = cJSON_CreateObject();
	char sd[8];

	if (!j || !cJSON_AddNumberToObject(j, "sst", s->sst))
		goto fail;
	if (s->sd != SEN_CFG_SD_NONE) {
		snprintf(sd, sizeof(sd), "%06x", s->sd & 0xffffffu);
		if (!cJSON_AddStringToObject(j, "sd", sd))
			goto fail;
	}
	return j;
fail:
	cJSON_Delete(j);
	return NULL;
}

int sen_nf_snssai_parse(const cJSON *j, struct sen_cfg_slice *out)
{
	const cJSON *sst = cJSON_GetObjectItemCaseSensitive(j, "sst");
	const char *sd = sen_nf_json_str(j, "sd");
	unsigned v = 0;

	if (!cJSON_IsNumber(sst) || sst->valuedouble < 0 || sst->valuedouble > 255 ||
	    sst->valuedouble != (double)(int)sst->valuedouble)
		return -SEN_EINVAL;
	out->sst = (uint8_t)sst->valueint;
	out->sd = SEN_CFG_SD_NONE;
	if (cJSON_GetObjectItemCaseSensitive(j, "sd") && !sd)
		return -SEN_EINVAL;
	if (sd) {
		if (strlen(sd) != 6)
			return -SEN_EINVAL;
		for (int i = 0; i < 6; i++) {
			if (!isxdigit((unsigned char)sd[i]))
				return -SEN_EINVAL;
			v = v * 16 + (unsigned)(isdigit((unsigned char)sd[i])
						    ? sd[i] - '0'
						    : tolower((unsigned char)sd[i]) - 'a' + 10);
		}
		out->sd = v;
	}
	return 0;
}

/* ---- builder ---- */

static bool add_item(cJSON *arr, cJSON *item)
{
	if (!item)
		return false;
	cJSON_AddItemToArray(arr, item);
	return true;
}

static bool add_addresses(cJSON *o, const struct sen_cfg_addr *a, bool endpoint)
{
	char ip[INET6_ADDRSTRLEN];
	bool v6 = a->sa.sa_family == AF_INET6;

	if (!inet_ntop(a->sa.sa_family,
		       v6 ? (const void *)&a->in6.sin6_addr : (const void *)&a->in.sin_addr, ip,
		       sizeof(ip)))
		return false;
	if (!endpoint) {
		cJSON *arr = cJSON_AddArrayToObject(o, v6 ? "ipv6Addresses" : "ipv4Addresses");
		return arr && add_item(arr, cJSON_CreateString(ip));
	}
	return cJSON_AddStringToObject(o, v6 ? "ipv6Address" : "ipv4Address", ip) &&
	       cJSON_AddStringToObject(o, "transport", "TCP") &&
	       cJSON_AddNumberToObject(o, "port", ntohs(v6 ? a->in6.sin6_port : a->in.sin_port));
}

static cJSON *build_service(const struct sen_nf_profile_desc *d, size_t i)
{
	cJSON *s = cJSON_CreateObject(), *vers, *ver, *eps, *ep;
	char id[32];

	if (!s)
		return NULL;
	snprintf(id, sizeof(id), "%zu", i + 1);
	if (!cJSON_AddStringToObject(s, "serviceInstanceId", id) ||
	    !cJSON_AddStringToObject(s, "serviceName", d->services[i]) ||
	    !(vers = cJSON_AddArrayToObject(s, "versions")) || !(ver = cJSON_CreateObject()))
		goto fail;
	cJSON_AddItemToArray(vers, ver);
	/* TS 29.510 6.1.6.2.4 NFServiceVersion: every Sen API is at major version 1. */
	if (!cJSON_AddStringToObject(ver, "apiVersionInUri", "v1") ||
	    !cJSON_AddStringToObject(ver, "apiFullVersion", "1.0.0") ||
	    !cJSON_AddStringToObject(s, "scheme", "http") ||
	    !cJSON_AddStringToObject(s, "nfServiceStatus", "REGISTERED"))
		goto fail;
	if (d->sbi && d->sbi->len) {
		if (!(eps = cJSON_AddArrayToObject(s, "ipEndPoints")) ||
		    !(ep = cJSON_CreateObject()))
			goto fail;
		cJSON_AddItemToArray(eps, ep);
		if (!add_addresses(ep, d->sbi, true))
			goto fail;
	}
	return s;
fail:
	cJSON_Delete(s);
	return NULL;
}

static bool build_supi_info(cJSON *p, const char *key, const struct sen_nf_profile_desc *d)
{
	cJSON *info, *ranges;

	if (!d->n_supi_ranges)
		return true;
	if (!(info = cJSON_AddObjectToObject(p, key)) ||
	    !(ranges = cJSON_AddArrayToObject(info, "supiRanges")))
		return false;
	for (size_t i = 0; i < d->n_supi_ranges; i++) {
		const struct sen_nf_supi_range *r = &d->supi_ranges[i];
		cJSON *o = cJSON_CreateObject();
		if (!add_item(ranges, o))
			return false;
		if (r->start && !cJSON_AddStringToObject(o, "start", r->start))
			return false;
		if (r->end && !cJSON_AddStringToObject(o, "end", r->end))
			return false;
		if (r->pattern && !cJSON_AddStringToObject(o, "pattern", r->pattern))
			return false;
	}
	return true;
}

static bool build_amf_info(cJSON *p, const struct sen_nf_profile_desc *d)
{
	const struct sen_nf_guami *g0 = d->guamis;
	cJSON *info, *list, *tais;
	char buf[16];

	if (!d->n_guamis)
		return true;
	/* TS 29.510 6.1.6.2.11 AmfInfo; TS 29.571 AmfRegionId (2 hex), AmfSetId (3 hex). */
	if (!(info = cJSON_AddObjectToObject(p, "amfInfo")))
		return false;
	snprintf(buf, sizeof(buf), "%03x", g0->set & 0x3ffu);
	if (!cJSON_AddStringToObject(info, "amfSetId", buf))
		return false;
	snprintf(buf, sizeof(buf), "%02x", g0->region);
	if (!cJSON_AddStringToObject(info, "amfRegionId", buf) ||
	    !(list = cJSON_AddArrayToObject(info, "guamiList")))
		return false;
	for (size_t i = 0; i < d->n_guamis; i++) {
		const struct sen_nf_guami *g = &d->guamis[i];
		cJSON *o = cJSON_CreateObject();
		/* TS 29.571 AmfId: region (8 bits) | set (10 bits) | pointer (6 bits). */
		uint32_t amf_id = ((uint32_t)g->region << 16) | ((uint32_t)(g->set & 0x3ffu) << 6) |
				  (g->pointer & 0x3fu);
		if (!add_item(list, o) ||
		    !cJSON_AddItemToObject(o, "plmnId", sen_nf_plmn_json(&g->plmn)))
			return false;
		snprintf(buf, sizeof(buf), "%06x", amf_id);
		if (!cJSON_AddStringToObject(o, "amfId", buf))
			return false;
	}
	if (!d->n_tacs)
		return true;
	if (!(tais = cJSON_AddArrayToObject(info, "taiList")))
		return false;
	for (size_t i = 0; i < d->n_tacs; i++) {
		cJSON *o = cJSON_CreateObject();
		if (!add_item(tais, o) ||
		    !cJSON_AddItemToObject(o, "plmnId", sen_nf_plmn_json(&g0->plmn)))
			return false;
		snprintf(buf, sizeof(buf), "%06x", d->tacs[i] & 0xffffffu);
		if (!cJSON_AddStringToObject(o, "tac", buf))
			return false;
	}
	return true;
}

/* smfInfo.sNssaiSmfInfoList / upfInfo.sNssaiUpfInfoList: every S-NSSAI with every DNN. */
static bool build_dnn_info(cJSON *p, bool smf, const struct sen_nf_profile_desc *d)
{
	cJSON *info, *list;

	if (!d->n_snssais && !d->n_dnns)
		return true;
	if (!(info = cJSON_AddObjectToObject(p, smf ? "smfInfo" : "upfInfo")) ||
	    !(list = cJSON_AddArrayToObject(info, smf ? "sNssaiSmfInfoList" : "sNssaiUpfInfoList")))
		return false;
	for (size_t i = 0; i < d->n_snssais; i++) {
		cJSON *o = cJSON_CreateObject(), *dl;
		if (!add_item(list, o) ||
		    !cJSON_AddItemToObject(o, "sNssai", sen_nf_snssai_json(&d->snssais[i])) ||
		    !(dl = cJSON_AddArrayToObject(o, smf ? "dnnSmfInfoList" : "dnnUpfInfoList")))
			return false;
		for (size_t k = 0; k < d->n_dnns; k++) {
			cJSON *e = cJSON_CreateObject();
			if (!add_item(dl, e) || !cJSON_AddStringToObject(e, "dnn", d->dnns[k]))
				return false;
		}
	}
	return true;
}

int sen_nf_profile_build(const struct sen_nf_profile_desc *d, cJSON **out)
{
	char uuid[SEN_NF_UUID_LEN];
	const char *id = d->nf_instance_id;
	const char *t = d->nf_type;
	cJSON *p, *arr;
	bool ok;

	*out = NULL;
	if (!t || !*t || (id && !sen_nf_uuid_valid(id)))
		return -SEN_EINVAL;
	if (!id) {
		if (sen_nf_uuid_v4(uuid) < 0)
			return -SEN_EIO;
		id = uuid;
	}
	if (!(p = cJSON_CreateObject()))
		return -SEN_ENOMEM;
	ok = cJSON_AddStringToObject(p, "nfInstanceId", id) &&
	     cJSON_AddStringToObject(p, "nfType", t) &&
	     cJSON_AddStringToObject(p, "nfStatus", "REGISTERED");
	if (ok && d->n_plmns && (ok = (arr = cJSON_AddArrayToObject(p, "plmnList")) != NULL))
		for (size_t i = 0; ok && i < d->n_plmns; i++)
			ok = add_item(arr, sen_nf_plmn_json(&d->plmns[i]));
	if (ok && d->n_snssais && (ok = (arr = cJSON_AddArrayToObject(p, "sNssais")) != NULL))
		for (size_t i = 0; ok && i < d->n_snssais; i++)
			ok = add_item(arr, sen_nf_snssai_json(&d->snssais[i]));
	if (ok && d->sbi && d->sbi->len)
		ok = add_addresses(p, d->sbi, false);
	if (ok && d->priority)
		ok = cJSON_AddNumberToObject(p, "priority", d->priority) != NULL;
	if (ok && d->capacity)
		ok = cJSON_AddNumberToObject(p, "capacity", d->capacity) != NULL;
	if (ok && !strcmp(t, "UDM"))
		ok = build_supi_info(p, "udmInfo", d);
	else if (ok && !strcmp(t, "AUSF"))
		ok = build_supi_info(p, "ausfInfo", d);
	else if (ok && !strcmp(t, "UDR"))
		ok = build_supi_info(p, "udrInfo", d);
	else if (ok && !strcmp(t, "AMF"))
		ok = build_amf_info(p, d);
	else if (ok && (!strcmp(t, "SMF") || !strcmp(t, "UPF")))
		ok = build_dnn_info(p, !strcmp(t, "SMF"), d);
	if (ok && d->n_services && (ok = (arr = cJSON_AddArrayToObject(p, "nfServices")) != NULL))
		for (size_t i = 0; ok && i < d->n_services; i++)
			ok = add_item(arr, build_service(d, i));
	if (!ok) {
		cJSON_Delete(p);
		return -SEN_ENOMEM;
	}
	*out = p;
	return 0;
}

/* ---- readers ---- */

/* The first NFService named `name` (NULL: any), in nfServices (array) or nfServiceList (map). */
static const cJSON *find_service(const cJSON *profile, const char *name)
{
	static const char *const keys[] = {"nfServices", "nfServiceList"};
	const cJSON *s;

	for (size_t k = 0; k < 2; k++) {
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(profile, keys[k]);
		cJSON_ArrayForEach(s, list)
		{
			const char *sn = sen_nf_json_str(s, "serviceName");
			if (cJSON_IsObject(s) && sn && (!name || !strcmp(sn, name)))
				return s;
		}
	}
	return NULL;
}

bool sen_nf_profile_has_service(const cJSON *profile, const char *service)
{
	return !service || find_service(profile, service) != NULL;
}

static int fmt_authority(const char *ip, bool v6, int port, char *out, size_t cap)
{
	int n = snprintf(out, cap, v6 ? "[%s]:%d" : "%s:%d", ip, port);

	return n < 0 || (size_t)n >= cap ? -SEN_ERANGE : 0;
}

static int json_port(const cJSON *o, int def)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "port");

	if (cJSON_IsNumber(p) && p->valuedouble >= 1 && p->valuedouble <= 65535)
		return p->valueint;
	return def;
}

static const char *first_str(const cJSON *o, const char *name)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, name);
	const cJSON *e = cJSON_IsArray(a) ? a->child : NULL;

	return cJSON_IsString(e) ? e->valuestring : NULL;
}

int sen_nf_profile_authority(const cJSON *profile, const char *service, char *out, size_t cap)
{
	const cJSON *s = NULL, *ep;
	const char *ip;
	int port = 80;

	if (service) {
		s = find_service(profile, service);
		if (!s)
			return -SEN_ENOENT;
		const char *st = sen_nf_json_str(s, "nfServiceStatus");
		if (st && strcmp(st, "REGISTERED"))
			return -SEN_ENOENT;
		cJSON_ArrayForEach(ep, cJSON_GetObjectItemCaseSensitive(s, "ipEndPoints"))
		{
			port = json_port(ep, 80);
			if ((ip = sen_nf_json_str(ep, "ipv4Address")))
				return fmt_authority(ip, false, port, out, cap);
			if ((ip = sen_nf_json_str(ep, "ipv6Address")))
				return fmt_authority(ip, true, port, out, cap);
		}
	}
	if ((ip = first_str(profile, "ipv4Addresses")))
		return fmt_authority(ip, false, port, out, cap);
	if ((ip = first_str(profile, "ipv6Addresses")))
		return fmt_authority(ip, true, port, out, cap);
	return -SEN_ENOENT;
}

/* The SUPI's digits ("imsi-001010000000001" -> "001010000000001"). */
static const char *supi_digits(const char *supi)
{
	const char *d = strchr(supi, '-');

	return d ? d + 1 : supi;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool range_has(const cJSON *r, const char *supi)
{
	const char *start = sen_nf_json_str(r, "start"), *end = sen_nf_json_str(r, "end");
	const char *pat = sen_nf_json_str(r, "pattern");
	const char *d = supi_digits(supi);

	if (start && end) {
		size_t n = strlen(d);
		/* TS 29.571 SupiRange: start/end have as many digits as the SUPIs they bound. */
		if (all_digits(d) && strlen(start) == n && strlen(end) == n &&
		    strcmp(d, start) >= 0 && strcmp(d, end) <= 0)
			return true;
	}
	if (pat) {
		/* TS 29.510 6.1.6.2.9 SupiRange: a SUPI is in the range only if it fully
		 * matches the pattern. The pattern is compiled as given (never pasted into
		 * "^(…)$", where "x)|(.*" would escape the anchors) and the match must span
		 * the whole SUPI: POSIX regexec reports the leftmost-longest match, so a full
		 * match, if any, is the one reported. A pattern that does not compile matches
		 * nothing. */
		regmatch_t m[1];
		regex_t re;
		bool hit;
		if (strlen(pat) > SEN_NF_PATTERN_MAX)
			return false;
		if (regcomp(&re, pat, REG_EXTENDED) != 0)
			return false;
		hit = regexec(&re, supi, 1, m, 0) == 0 && m[0].rm_so == 0 &&
		      (size_t)m[0].rm_eo == strlen(supi);
		regfree(&re);
		if (hit)
			return true;
	}
	return false;
}

bool sen_nf_profile_serves_supi(const cJSON *profile, const char *supi)
{
	static const char *const infos[] = {"udmInfo", "ausfInfo", "udrInfo", "pcfInfo", "chfInfo"};
	bool declared = false;

	for (size_t i = 0; i < sizeof(infos) / sizeof(infos[0]); i++) {
		const cJSON *info = cJSON_GetObjectItemCaseSensitive(profile, infos[i]);
		const cJSON *ranges = cJSON_GetObjectItemCaseSensitive(info, "supiRanges"), *r;
		if (!cJSON_IsArray(ranges) || !cJSON_GetArraySize(ranges))
			continue;
		declared = true;
		cJSON_ArrayForEach(r, ranges) if (range_has(r, supi)) return true;
	}
	return !declared;
}

/* The sNssai*InfoList arrays of smfInfo and upfInfo present in the profile. */
static size_t info_lists(const cJSON *profile, const cJSON *out[2])
{
	size_t n = 0;
	const cJSON *smf = cJSON_GetObjectItemCaseSensitive(profile, "smfInfo");
	const cJSON *upf = cJSON_GetObjectItemCaseSensitive(profile, "upfInfo");
	const cJSON *l;

	if (cJSON_IsArray(l = cJSON_GetObjectItemCaseSensitive(smf, "sNssaiSmfInfoList")))
		out[n++] = l;
	if (cJSON_IsArray(l = cJSON_GetObjectItemCaseSensitive(upf, "sNssaiUpfInfoList")))
		out[n++] = l;
	return n;
}

bool sen_nf_profile_serves_dnn(const cJSON *profile, const char *dnn)
{
	const cJSON *lists[2], *item, *d;
	size_t n = info_lists(profile, lists);
	bool declared = false;

	for (size_t i = 0; i < n; i++)
		cJSON_ArrayForEach(item, lists[i])
		{
			const cJSON *dl = cJSON_GetObjectItemCaseSensitive(item, "dnnSmfInfoList");
			if (!dl)
				dl = cJSON_GetObjectItemCaseSensitive(item, "dnnUpfInfoList");
			cJSON_ArrayForEach(d, dl)
			{
				const char *name = sen_nf_json_str(d, "dnn");
				if (!name)
					continue;
				declared = true;
				/* TS 23.003 9.1: DNN labels compare case-insensitively. */
				if (!strcasecmp(name, dnn) || !strcmp(name, "*"))
					return true;
			}
		}
	return !declared;
}

static bool snssai_in(const cJSON *j, const struct sen_cfg_slice *s, size_t n)
{
	struct sen_cfg_slice v;

	if (sen_nf_snssai_parse(j, &v) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i].sst == v.sst && s[i].sd == v.sd)
			return true;
	return false;
}

bool sen_nf_profile_serves_snssai(const cJSON *profile, const struct sen_cfg_slice *s, size_t n)
{
	const cJSON *lists[2], *item;
	size_t nl = info_lists(profile, lists);
	bool declared = false;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(profile, "sNssais"))
	{
		declared = true;
		if (snssai_in(item, s, n))
			return true;
	}
	for (size_t i = 0; i < nl; i++)
		cJSON_ArrayForEach(item, lists[i])
		{
			const cJSON *sn = cJSON_GetObjectItemCaseSensitive(item, "sNssai");
			if (!sn)
				continue;
			declared = true;
			if (snssai_in(sn, s, n))
				return true;
		}
	return !declared;
}
