/*
 * sen-amf multipart/related bodies (RFC 2387, RFC 2046 5.1.1) as the SBI uses them to carry
 * N1 and N2 binaries next to the JSON object (TS 29.500 6.1.2.2.2; TS 29.502 6.1.2.4,
 * TS 29.518 6.1.2.4): the root part is application/json, each binary part has a
 * Content-ID that a RefToBinaryData {contentId} of the JSON names (TS 29.571 5.4.4.x).
 *
 * Peer input: the parser bounds every length, copies nothing and never reads past the
 * body; parts point into it. (The SMF has its own; a shared lib/sbi one would be better.)
 */
#ifndef SEN_AMF_MULTIPART_H
#define SEN_AMF_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define AMF_MP_MAX_PARTS 6

#define AMF_MT_JSON "application/json"
#define AMF_MT_NAS  "application/vnd.3gpp.5gnas"
#define AMF_MT_NGAP "application/vnd.3gpp.ngap"

struct amf_mp_part {
	char type[64]; /* media type, lower case, without parameters ("" if none) */
	char id[96];   /* Content-ID without <> ("" if none) */
	const uint8_t *data;
	size_t len;
};

struct amf_mp {
	size_t n;
	struct amf_mp_part part[AMF_MP_MAX_PARTS];
};

/*
 * Parse body[len] of content type `ctype` (multipart/related; boundary=…). Returns 0, or
 * -SEN_EPROTO (not multipart, no boundary, no closing delimiter, too many parts, a bad part
 * header).
 */
int amf_mp_parse(const char *ctype, const uint8_t *body, size_t len, struct amf_mp *out);

/* The part whose Content-ID is `id`, or NULL (id NULL too). */
const struct amf_mp_part *amf_mp_find(const struct amf_mp *mp, const char *id);

/*
 * A body read from an SBI message: JSON alone, or multipart/related with the JSON object
 * first. `json` is the parsed object (free with cJSON_Delete). Returns 0, -SEN_ENOENT (no
 * body), -SEN_EPROTO (not JSON, not an object, broken multipart) or -SEN_ENOTSUP (another
 * media type).
 */
struct sen_sbi_msg;
int amf_mp_read(const struct sen_sbi_msg *m, cJSON **json, struct amf_mp *mp);

/* The binary part a RefToBinaryData member `member` {contentId} of `obj` names, or NULL. */
const struct amf_mp_part *amf_mp_ref(const struct amf_mp *mp, const cJSON *obj,
				     const char *member);

/*
 * Set m's body: `json`, followed (when n1 or n2 is given) by the N1 part (Content-ID
 * "n1msg", 5gnas) and the N2 part ("n2msg", ngap) as multipart/related. Returns 0 or an
 * error.
 */
int amf_mp_set_body(struct sen_sbi_msg *m, const cJSON *json, const uint8_t *n1, size_t n1len,
		    const uint8_t *n2, size_t n2len);

#endif
