/*
 * A small in-memory UDR for the UDM/AUSF tests, on lib/sbi: the Nudr-DR resources the UDM
 * uses (TS 29.505 authentication-subscription GET, provisioned am-data /
 * smf-selection-subscription-data / sm-data GET, context-data/amf-3gpp-access GET and PUT,
 * authentication-data/authentication-status PUT and GET)
 * and Sen's atomic SQN advance (POST /sen-udr-auth/v1/{ueId}/sqn-advance, body {} or
 * {"sqnMs": hex}), with the shapes and rules of the real sen-udr (src/udr, docs/udr.md):
 * SQN = SEQ || IND with 5 IND bits, each advance SEQ + 1 and IND 0, a re-synchronisation
 * moves SQN_HE to max(SQN_HE, SEQ_MS || 0). Unknown SUPI: 404 USER_NOT_FOUND.
 * It also takes the standard SQN update, PATCH authentication-subscription (TS 29.505
 * 5.2.2.2.3) with a replace of /sequenceNumber or /sequenceNumber/sqn, stored as given
 * (as a UDR of another vendor would). "Standard only", it has no sen-udr-auth at all
 * (its path is answered 404 by the router, or 405 when only GET is served there).
 *
 * Every subscriber gets the same subscription data: S-NSSAIs 1 (default; DNNs internet,
 * ims) and 1:000001 (DNN internet), GPSI msisdn-<last 10 digits of the SUPI>.
 */
#ifndef SEN_TEST_FAKE_UDR_H
#define SEN_TEST_FAKE_UDR_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/loop.h"

struct fake_udr;

/* Serve on addr:port (port 0: any). Returns 0 or a -SEN_E… code. */
int fake_udr_start(struct sen_loop *loop, const char *addr, uint16_t port, struct fake_udr **out);

enum fake_udr_mode {
	FAKE_UDR_SEN,	       /* with Sen's sqn-advance */
	FAKE_UDR_STANDARD_404, /* standard only: the sqn-advance path is unknown (404) */
	FAKE_UDR_STANDARD_405, /* standard only: the path exists for GET only (405) */
};
int fake_udr_start_mode(struct sen_loop *loop, const char *addr, uint16_t port,
			enum fake_udr_mode mode, struct fake_udr **out);
void fake_udr_free(struct fake_udr *u);
const char *fake_udr_authority(const struct fake_udr *u);

/* Provision (or replace) a subscriber. */
int fake_udr_add(struct fake_udr *u, const char *supi, const uint8_t k[16], const uint8_t opc[16],
		 const uint8_t amf[2], uint64_t sqn);
/* The subscriber's SQN_HE, or UINT64_MAX if unknown. */
uint64_t fake_udr_sqn(const struct fake_udr *u, const char *supi);
void fake_udr_set_barred(struct fake_udr *u, const char *supi, bool barred);
/* The subscriber's stored authentication status (the last AuthEvent), or NULL. */
const cJSON *fake_udr_auth_status(const struct fake_udr *u, const char *supi);
/* Requests served so far (all routes). */
unsigned fake_udr_requests(const struct fake_udr *u);
/* sqn-advance requests and standard SQN PATCHes applied so far. */
unsigned fake_udr_advances(const struct fake_udr *u);
unsigned fake_udr_patches(const struct fake_udr *u);

/*
 * Quirks of a standard UDR, for the standard SQN flow: PATCH answered `patch_status`
 * (0: applied; -1: the first one held unanswered until fake_udr_free), `ind_len` IND
 * bits announced as sequenceNumber.indLength, `etag`: GET gives an ETag and a PATCH with
 * a stale If-Match gets 412; `conflicts`: that many PATCHes find the SQN advanced by one
 * SEQ meanwhile (as if another UDM issued one) and get 412.
 */
void fake_udr_set_std_quirks(struct fake_udr *u, int patch_status, unsigned ind_len, bool etag,
			     unsigned conflicts);

#endif
