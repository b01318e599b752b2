/*
 * sen-amf multipart/related (see multipart.h). RFC 2046 5.1.1: a body is
 *   [preamble CRLF] "--" boundary CRLF headers CRLF content
 *   { CRLF "--" boundary CRLF headers CRLF content } CRLF "--" boundary "--" [epilogue]
 * and a boundary is 1..70 characters that occur in no part.
 */
#include "multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/rand.h>

#include "core/err.h"
#include "sbi/msg.h"

#define BOUNDARY_MAX 70
#define HLINE_MAX    512

/* First occurrence of n[nl] in h[hl], or NULL. */
static const uint8_t *find(const uint8_t *h, size_t hl, const uint8_t *n, size_t nl)
{
	if (nl == 0 || hl < nl)
		return NULL;
	for (size_t i = 0; i + nl <= hl; i++)
		if (h[i] == n[0] && !memcmp(h + i, n, nl))
			return h + i;
	return NULL;
}

/* The boundary parameter of a multipart/related content type into b (without quotes). */
static int boundary_of(const char *ctype, char *b, size_t cap)
{
	const char *p;
	size_t n = 0;

	if (!ctype || strncasecmp(ctype, "multipart/related", 17) != 0)
		return -SEN_EPROTO;
	for (p = ctype + 17; (p = strchr(p, ';')) != NULL;) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		p += 9;
		bool quoted = *p == '"';
		if (quoted)
			p++;
		while (*p && n < cap - 1 && (quoted ? *p != '"' : (*p != ';' && *p != ' ')))
			b[n++] = *p++;
		b[n] = '\0';
		return n >= 1 && n <= BOUNDARY_MAX && (!quoted || *p == '"') ? 0 : -SEN_EPROTO;
	}
	return -SEN_EPROTO;
}

/* Copy the trimmed value of a header line into out (lower-cased when `lower`). */
static void header_value(const char *v, size_t len, char *out, size_t cap, bool lower)
{
	size_t n = 0;

	while (len && (*v == ' ' || *v == '\t'))
		v++, len--;
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < len && n < cap - 1; i++)
		out[n++] = lower && v[i] >= 'A' && v[i] <= 'Z' ? (char)(v[i] + 32) : v[i];
	out[n] = '\0';
}

/* Part headers in h[hl] (lines separated by CRLF). */
static int part_headers(const uint8_t *h, size_t hl, struct amf_mp_part *p)
{
	while (hl) {
		const uint8_t *eol = find(h, hl, (const uint8_t *)"\r\n", 2);
		size_t ll = eol ? (size_t)(eol - h) : hl;
		const char *line = (const char *)h, *colon;

		if (ll > HLINE_MAX)
			return -SEN_EPROTO;
		colon = memchr(line, ':', ll);
		if (!colon)
			return -SEN_EPROTO;
		size_t nl = (size_t)(colon - line), vl = ll - nl - 1;
		if (nl == 12 && !strncasecmp(line, "content-type", 12)) {
			header_value(colon + 1, vl, p->type, sizeof(p->type), true);
			char *semi = strchr(p->type, ';');
			if (semi) {
				*semi = '\0';
				header_value(p->type, strlen(p->type), p->type, sizeof(p->type), true);
			}
		} else if (nl == 10 && !strncasecmp(line, "content-id", 10)) {
			char id[sizeof(p->id) + 2];
			header_value(colon + 1, vl, id, sizeof(id), false);
			size_t il = strlen(id);
			if (il >= 2 && id[0] == '<' && id[il - 1] == '>') {
				id[il - 1] = '\0';
				memmove(id, id + 1, il - 1);
			}
			snprintf(p->id, sizeof(p->id), "%s", id);
		}
		if (!eol)
			break;
		h = eol + 2;
		hl -= ll + 2;
	}
	return 0;
}

int amf_mp_parse(const char *ctype, const uint8_t *body, size_t len, struct amf_mp *out)
{
	char b[BOUNDARY_MAX + 1], delim[BOUNDARY_MAX + 5];
	const uint8_t *p, *end = body + len;
	size_t dl;

	memset(out, 0, sizeof(*out));
	if (boundary_of(ctype, b, sizeof(b)) < 0 || !body)
		return -SEN_EPROTO;
	/* "\r\n--boundary"; the first may open the body without the CRLF */
	dl = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", b);
	if (len >= dl - 2 && !memcmp(body, delim + 2, dl - 2))
		p = body + dl - 2;
	else if ((p = find(body, len, (const uint8_t *)delim, dl)) != NULL)
		p += dl;
	else
		return -SEN_EPROTO;
	for (;;) {
		const uint8_t *hend, *next;
		struct amf_mp_part *part;

		if ((size_t)(end - p) >= 2 && p[0] == '-' && p[1] == '-')
			return out->n ? 0 : -SEN_EPROTO; /* closing delimiter */
		while (p < end && (*p == ' ' || *p == '\t')) /* transport padding */
			p++;
		if ((size_t)(end - p) < 2 || p[0] != '\r' || p[1] != '\n')
			return -SEN_EPROTO;
		p += 2;
		if (out->n >= AMF_MP_MAX_PARTS)
			return -SEN_EPROTO;
		part = &out->part[out->n];
		if ((size_t)(end - p) >= 2 && p[0] == '\r' && p[1] == '\n') {
			hend = p; /* no headers */
			p += 2;
		} else {
			hend = find(p, (size_t)(end - p), (const uint8_t *)"\r\n\r\n", 4);
			if (!hend || part_headers(p, (size_t)(hend - p), part) < 0)
				return -SEN_EPROTO;
			p = hend + 4;
		}
		next = find(p, (size_t)(end - p), (const uint8_t *)delim, dl);
		if (!next)
			return -SEN_EPROTO;
		part->data = p;
		part->len = (size_t)(next - p);
		out->n++;
		p = next + dl;
	}
}

const struct amf_mp_part *amf_mp_find(const struct amf_mp *mp, const char *id)
{
	if (!id || !id[0])
		return NULL;
	for (size_t i = 0; i < mp->n; i++)
		if (!strcmp(mp->part[i].id, id))
			return &mp->part[i];
	return NULL;
}

const struct amf_mp_part *amf_mp_ref(const struct amf_mp *mp, const cJSON *obj,
				     const char *member)
{
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(obj, member);
	const cJSON *id = ref ? cJSON_GetObjectItemCaseSensitive(ref, "contentId") : NULL;

	return cJSON_IsString(id) ? amf_mp_find(mp, id->valuestring) : NULL;
}

int amf_mp_read(const struct sen_sbi_msg *m, cJSON **json, struct amf_mp *mp)
{
	const char *ct = sen_sbi_msg_header(m, "content-type");
	size_t len;
	const uint8_t *body = sen_sbi_msg_body(m, &len);

	*json = NULL;
	memset(mp, 0, sizeof(*mp));
	if (!body || !len)
		return -SEN_ENOENT;
	if (ct && !strncasecmp(ct, "multipart/related", 17)) {
		if (amf_mp_parse(ct, body, len, mp) < 0 || strcmp(mp->part[0].type, AMF_MT_JSON))
			return -SEN_EPROTO;
		*json = cJSON_ParseWithLength((const char *)mp->part[0].data, mp->part[0].len);
	} else if (sen_sbi_msg_is_json(m)) {
		if (sen_sbi_msg_json(m, json) < 0)
			*json = NULL;
	} else {
		return -SEN_ENOTSUP;
	}
	if (!cJSON_IsObject(*json)) {
		cJSON_Delete(*json);
		*json = NULL;
		return -SEN_EPROTO;
	}
	return 0;
}

/* Append part headers and data to buf; returns the new length. */
static size_t put_part(uint8_t *buf, size_t at, const char *b, const char *type, const char *id,
		       const uint8_t *d, size_t len)
{
	at += (size_t)sprintf((char *)buf + at, "%s--%s\r\nContent-Type: %s\r\n", at ? "\r\n" : "",
			      b, type);
	if (id)
		at += (size_t)sprintf((char *)buf + at, "Content-Id: %s\r\n", id);
	at += (size_t)sprintf((char *)buf + at, "\r\n");
	memcpy(buf + at, d, len);
	return at + len;
}

int amf_mp_set_body(struct sen_sbi_msg *m, const cJSON *json, const uint8_t *n1, size_t n1len,
		    const uint8_t *n2, size_t n2len)
{
	char b[40], ctype[96];
	char *text;
	uint8_t *buf, r[8];
	size_t tl, at = 0;
	int rc;

	if (!n1 && !n2)
		return sen_sbi_msg_set_json(m, json, NULL);
	if (!(text = cJSON_PrintUnformatted(json)))
		return -SEN_ENOMEM;
	tl = strlen(text);
	/* a random boundary; tried again in the unlikely case a part contains it */
	for (int tries = 0;; tries++) {
		RAND_bytes(r, sizeof(r));
		snprintf(b, sizeof(b), "sen-amf-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2],
			 r[3], r[4], r[5], r[6], r[7]);
		if (tries > 4 || (!find((uint8_t *)text, tl, (uint8_t *)b, strlen(b)) &&
				  !(n1 && find(n1, n1len, (uint8_t *)b, strlen(b))) &&
				  !(n2 && find(n2, n2len, (uint8_t *)b, strlen(b)))))
			break;
	}
	buf = malloc(tl + n1len + n2len + 512);
	if (!buf) {
		free(text);
		return -SEN_ENOMEM;
	}
	at = put_part(buf, 0, b, AMF_MT_JSON, NULL, (const uint8_t *)text, tl);
	if (n1)
		at = put_part(buf, at, b, AMF_MT_NAS, "n1msg", n1, n1len);
	if (n2)
		at = put_part(buf, at, b, AMF_MT_NGAP, "n2msg", n2, n2len);
	at += (size_t)sprintf((char *)buf + at, "\r\n--%s--\r\n", b);
	free(text);
	snprintf(ctype, sizeof(ctype), "multipart/related; boundary=%s", b);
	rc = sen_sbi_msg_set_body(m, buf, at, ctype);
	free(buf);
	return rc;
}
