/*
 * The NFProfile JSON model shared by the NRF (src/nrf) and the NRF client every NF uses
 * (sbi/nrf_client.h): TS 29.510 6.1.6.2.2 NFProfile and 6.1.6.2.3 NFService, with the
 * per-type information of 6.1.6.2.x (UdmInfo, AusfInfo, UdrInfo: supiRanges; AmfInfo:
 * guamiList; SmfInfo: sNssaiSmfInfoList; UpfInfo: sNssaiUpfInfoList), and the common data
 * types of TS 29.571 (PlmnId, Snssai, SupiRange, Guami).
 *
 * Profiles are kept as cJSON trees: the NRF stores what an NF registered, member for
 * member, and both sides read the few members they act on with the helpers below. The
 * builder makes the profile a Sen NF registers from a short C description.
 */
#ifndef SEN_SBI_NFPROFILE_H
#define SEN_SBI_NFPROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/config.h"

/* "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" plus NUL. */
#define SEN_NF_UUID_LEN 37

/*
 * TS 29.510 6.1.6.2.9 SupiRange: [start, end] (digit strings of equal length) or a pattern
 * that the whole SUPI must match (it is anchored at both ends when compared). Patterns
 * longer than SEN_NF_PATTERN_MAX characters match nothing.
 */
#define SEN_NF_PATTERN_MAX 1024
struct sen_nf_supi_range {
	const char *start;   /* e.g. "999700000000001"; NULL with pattern */
	const char *end;     /* inclusive */
	const char *pattern; /* POSIX extended regex matched against the whole SUPI, or NULL */
};

/* TS 23.003 2.10.1 GUAMI = PLMN + AMF Region ID (8 bits) + AMF Set ID (10) + Pointer (6). */
struct sen_nf_guami {
	struct sen_cfg_plmn plmn;
	uint8_t region;
	uint16_t set;
	uint8_t pointer;
};

/* What a Sen NF says about itself (every member but nf_type may be zero / NULL). */
struct sen_nf_profile_desc {
	const char *nf_instance_id; /* a UUID; NULL: a new UUID v4 is generated */
	const char *nf_type;	    /* TS 29.510 6.1.6.3.3 NFType: "UDM", "AMF" … (required) */
	const struct sen_cfg_addr *sbi; /* SBI address: ipv4Addresses/ipv6Addresses, ipEndPoints */
	const struct sen_cfg_plmn *plmns; /* plmnList */
	size_t n_plmns;
	const struct sen_cfg_slice *snssais; /* sNssais (and the S-NSSAIs of smfInfo/upfInfo) */
	size_t n_snssais;
	const char *const *services; /* service names ("nudm-ueau"), each API version v1 */
	size_t n_services;
	uint16_t priority, capacity; /* 0: omitted */
	/* udmInfo / ausfInfo / udrInfo (by nf_type): supiRanges; none: the info is omitted. */
	const struct sen_nf_supi_range *supi_ranges;
	size_t n_supi_ranges;
	/* amfInfo: the GUAMIs served (amfRegionId / amfSetId taken from the first) and TACs. */
	const struct sen_nf_guami *guamis;
	size_t n_guamis;
	const uint32_t *tacs;
	size_t n_tacs;
	/* smfInfo / upfInfo: DNNs served on every S-NSSAI of `snssais`. */
	const char *const *dnns;
	size_t n_dnns;
};

/* Write a fresh random (version 4, RFC 9562 5.4) UUID in lower case. Returns 0 or -SEN_EIO. */
int sen_nf_uuid_v4(char out[SEN_NF_UUID_LEN]);

/* True if s is a UUID in 8-4-4-4-12 hexadecimal form (TS 29.571 NfInstanceId). */
bool sen_nf_uuid_valid(const char *s);

/*
 * Build the NFProfile for `d` into *out (the caller cJSON_Delete()s it): nfInstanceId,
 * nfType, nfStatus REGISTERED, plmnList, sNssais, ipv4Addresses / ipv6Addresses,
 * priority, capacity, nfServices [{serviceInstanceId, serviceName, versions
 * [{apiVersionInUri "v1", apiFullVersion "1.0.0"}], scheme "http", nfServiceStatus
 * REGISTERED, ipEndPoints [{ipv4Address | ipv6Address, transport TCP, port}]}] and the
 * per-type info. Returns 0, -SEN_EINVAL (no nf_type, a nf_instance_id that is not a UUID)
 * or -SEN_ENOMEM.
 */
int sen_nf_profile_build(const struct sen_nf_profile_desc *d, cJSON **out);

/* TS 29.571 PlmnId {mcc, mnc} and Snssai {sst, sd?} objects; NULL when out of memory. */
cJSON *sen_nf_plmn_json(const struct sen_cfg_plmn *p);
cJSON *sen_nf_snssai_json(const struct sen_cfg_slice *s);

/*
 * Parse a Snssai object: sst 0..255 required, sd 6 hex digits optional (SEN_CFG_SD_NONE
 * when absent). Returns 0 or -SEN_EINVAL.
 */
int sen_nf_snssai_parse(const cJSON *j, struct sen_cfg_slice *out);

/* The string member `name` of object `o`, or NULL if absent or not a string. */
const char *sen_nf_json_str(const cJSON *o, const char *name);

/*
 * The authority ("ip:port", "[v6]:port") to reach `service` of `profile`: the first
 * ipEndPoint of a REGISTERED NFService of that name (nfServices array or nfServiceList
 * map), else the profile's first ipv4Addresses / ipv6Addresses entry; the port defaults to
 * 80 (TS 29.510 6.1.6.2.3 ipEndPoints: scheme http). A NULL service accepts any service.
 * Returns 0, -SEN_ENOENT (no such service or no address) or -SEN_ERANGE (out too small).
 */
int sen_nf_profile_authority(const cJSON *profile, const char *service, char *out, size_t cap);

/* True when `profile` has an NFService named `service` (NULL: always true). */
bool sen_nf_profile_has_service(const cJSON *profile, const char *service);

/*
 * TS 29.510 6.2.3.2.3.1 "supi": true when the profile's supiRanges (in udmInfo, ausfInfo,
 * udrInfo, pcfInfo or chfInfo) include `supi`, or when it declares none (it serves all).
 * `supi` is "imsi-<digits>" or bare digits; start/end ranges compare its digits, a pattern
 * must match the whole `supi` string (TS 29.510 6.1.6.2.9).
 */
bool sen_nf_profile_serves_supi(const cJSON *profile, const char *supi);

/* "dnn": true when the profile's smfInfo / upfInfo list `dnn`, or declare no DNN at all. */
bool sen_nf_profile_serves_dnn(const cJSON *profile, const char *dnn);

/*
 * "snssais": true when one of s[n] is in the profile's sNssais (or in its smfInfo /
 * upfInfo S-NSSAI lists), or when the profile declares no S-NSSAI at all.
 */
bool sen_nf_profile_serves_snssai(const cJSON *profile, const struct sen_cfg_slice *s, size_t n);

#endif
