/*
 * JSON forms of the UDR's subscriber data, shared by sen-udr and `senctl subscriber`:
 *
 *  - the TS 29.505 data sets the UDM reads through Nudr-DR (TS 29.504), as the TS 29.503 /
 *    TS 29.505 OpenAPI types: AuthenticationSubscription, AccessAndMobilitySubscriptionData,
 *    SmfSelectionSubscriptionData and SessionManagementSubscriptionData;
 *  - the Sen provisioning form of a whole subscriber (the /sen-prov/v1 API, docs/udr.md),
 *    in both directions;
 *  - the TS 29.571 scalar types they use (BitRate, Snssai).
 * (The Nudr PATCH operations use lib/sbi's JSON Patch, sbi/json_patch.h.)
 *
 * Builders return a new cJSON tree (the caller cJSON_Delete()s it) or NULL when out of
 * memory. Parsers never trust their input: every member is type- and range-checked, and
 * on failure they return -SEN_EINVAL and write one line naming the member and the problem
 * to why[whylen] (never a key value: K and OP/OPc are not echoed).
 */
#ifndef SEN_UDR_JSON_H
#define SEN_UDR_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "store.h"

/* Longest BitRate text we print or accept ("18446744073709551615 bps" + NUL fits). */
#define SEN_UDR_BITRATE_SIZE 32

/*
 * TS 29.571 5.5.2 BitRate: "<number>[.<fraction>] <unit>", unit bps, Kbps, Mbps, Gbps or
 * Tbps, each 1000 times the one before. Format `bps` with the largest unit that keeps the
 * value exact with at most three decimals ("1 Gbps", "1.5 Mbps", "100 bps"). out holds
 * SEN_UDR_BITRATE_SIZE bytes. Returns out.
 */
char *sen_udr_bitrate_format(uint64_t bps, char out[SEN_UDR_BITRATE_SIZE]);

/*
 * Parse a BitRate as above (the space before the unit may be left out; the unit's case
 * must be as written in TS 29.571). The value must be a whole number of bit/s that fits
 * in int64_t. Returns 0 or -SEN_EINVAL.
 */
int sen_udr_bitrate_parse(const char *s, uint64_t *bps);

/* TS 29.571 Snssai {sst, sd?}: sd as 6 hex digits, left out when SEN_UDR_SD_NONE. */
cJSON *sen_udr_json_snssai(uint8_t sst, uint32_t sd);

/* Parse an Snssai object: sst 0..255 (integer), optional sd of 6 hex digits. 0 / -EINVAL. */
int sen_udr_json_parse_snssai(const cJSON *j, uint8_t *sst, uint32_t *sd);

/*
 * An S-NSSAI as text: "SST[<sep>SD]", SST 0..255 in decimal, SD 6 hex digits. With sep ':'
 * it is the command-line and CSV form ("1:000001"); with sep '-' it is the string form
 * TS 29.571 5.4.4.2 gives for map keys ("1-000001"), used in
 * SmfSelectionSubscriptionData.subscribedSnssaiInfos. out holds 16 bytes.
 */
int sen_udr_snssai_parse(const char *s, char sep, uint8_t *sst, uint32_t *sd);
void sen_udr_snssai_format(uint8_t sst, uint32_t sd, char sep, char out[16]);

/* ---- TS 29.505 data sets (Nudr-DR responses) ---- */

/*
 * TS 29.505 AuthenticationSubscription for `auth`, with sequenceNumber.sqn = `sqn` (the
 * stored SQN_HE, or the freshly advanced SQN on Sen's advance path). encPermanentKey and
 * encOpcKey carry K and OPc in clear hex (protectionParameterId "none"); a subscriber
 * provisioned with OP gets OPc = E_K(OP) xor OP derived here (TS 35.206 4.1), so a UDM
 * always receives OPc. The caller wipes the printed text (it holds key material).
 */
cJSON *sen_udr_json_auth_subscription(const struct sen_udr_auth *auth, uint64_t sqn);

/* TS 29.503 AccessAndMobilitySubscriptionData (gpsis, subscribedUeAmbr, nssai; barring). */
cJSON *sen_udr_json_am_data(const struct sen_udr_subscriber *sub);

/* TS 29.503 SmfSelectionSubscriptionData (subscribedSnssaiInfos: "sst[-sd]" -> dnnInfos). */
cJSON *sen_udr_json_smf_sel_data(const struct sen_udr_subscriber *sub);

/*
 * TS 29.505 SmSubsData as an array of TS 29.503 SessionManagementSubscriptionData, one per
 * subscribed S-NSSAI (singleNssai, dnnConfigurations). Filters (TS 29.505 query
 * parameters): only the S-NSSAI sst/sd when has_snssai, only the DNN `dnn` when not NULL
 * (S-NSSAIs left without a DNN are then left out).
 */
cJSON *sen_udr_json_sm_data(const struct sen_udr_subscriber *sub, bool has_snssai, uint8_t sst,
			    uint32_t sd, const char *dnn);

/* ---- Sen provisioning form (docs/udr.md "Provisioning API") ---- */

/*
 * The whole subscriber in the Sen provisioning form. K and OP/OPc ("k", "opc" / "op") are
 * included only when `secrets`.
 */
cJSON *sen_udr_json_prov(const struct sen_udr_subscriber *sub, bool secrets);

/*
 * Parse the Sen provisioning form into *sub (initialised with sen_udr_subscriber_init
 * defaults first; "supi", "k" and one of "opc"/"op" are required), then check it with
 * sen_udr_subscriber_check(). Returns 0, or -SEN_EINVAL with the reason in why.
 */
int sen_udr_json_parse_prov(const cJSON *j, struct sen_udr_subscriber *sub, char *why,
			    size_t whylen);

/* cJSON_Delete() after overwriting every string in the tree (key material). NULL is fine. */
void sen_udr_json_wipe_delete(cJSON *j);

#endif
