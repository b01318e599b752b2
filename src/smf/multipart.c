/*
 * multipart/related parser and builder (RFC 2046 5.1.1 syntax, RFC 2387; TS 29.500
 * 6.1.2.2.2). See multipart.h.
 *
 * Parsing, as RFC 2046 5.1.1 puts it: the boundary delimiter is CRLF "--" boundary; the
 * first one may start the body (no preamble) and the last one is followed by "--". Each
 * body part is header lines, an empty line, then content up to the next delimiter. Header
 * names are matched case-insensitively; only Content-Type and Content-ID are kept, others
 * (Content-Transfer-Encoding: binary …) are skipped.
 */
#include "multipart.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"

#define MAX_BOUNDARY 70 /* RFC 2046 5.1.1 */

bool smf_mp_is_multipart(const char *ct)
{
	while (ct && (*ct == ' ' || *ct == '\t'))
		ct++;
	return ct && !strncasecmp(ct, "multipart/related", 17) &&
	       (ct[17] == '\0' || ct[17] == ';' || ct[17] == ' ');
}

/* The boundary parameter of a content-type value into out (RFC 2045 5.1 token or quoted). */
static int get_boundary(const char *ct, char *out, size_t cap)
{
	const char *p = strchr(ct, ';');

	while (p) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncasecmp(p, "boundary=", 9)) {
			size_t n = 0;
			p += 9;
			if (*p == '"') {
				p++;
				while (p[n] && p[n] != '"')
					n++;
				if (p[n] != '"')
					return -SEN_EPROTO;
			} else {
				while (p[n] && p[n] != ';' && p[n] != ' ' && p[n] != '\t')
					n++;
			}
			if (n == 0 || n > MAX_BOUNDARY || n >= cap)
				return -SEN_EPROTO;
			memcpy(out, p, n);
			out[n] = '\0';
			return 0;
		}
		p = strchr(p, ';');
	}
	return -SEN_EPROTO;
}

static const uint8_t *find(const uint8_t *hay, size_t hlen, const void *needle, size_t nlen)
{
	if (nlen == 0 || hlen < nlen)
		return NULL;
	return memmem(hay, hlen, needle, nlen);
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Parse the header lines h[hlen] (no final empty line) of one part. */
static int part_headers(const char *h, size_t hlen, struct smf_mp_part *pt, const char **why)
{
	size_t lines = 0;

	while (hlen) {
		const char *eol = memchr(h, '\n', hlen);
		size_t n = eol ? (size_t)(eol - h) : hlen, adv = eol ? n + 1 : n;
		const char *colon, *v;
		size_t vn;

		if (n && h[n - 1] == '\r')
			n--;
		if (n > SMF_MP_MAX_HLINE) {
			*why = "a part header line is too long";
			return -SEN_EPROTO;
		}
		if (++lines > SMF_MP_MAX_HEADERS) {
			*why = "too many part header lines";
			return -SEN_EPROTO;
		}
		colon = memchr(h, ':', n);
		if (!colon || colon == h) {
			*why = "a part header line without a name";
			return -SEN_EPROTO;
		}
		v = colon + 1;
		vn = n - (size_t)(v - h);
		trim(&v, &vn);
		if ((size_t)(colon - h) == 12 && !strncasecmp(h, "content-type", 12)) {
			size_t k = 0;
			while (k < vn && v[k] != ';' && v[k] != ' ')
				k++;
			if (k >= sizeof(pt->type_buf)) {
				*why = "a part media type is too long";
				return -SEN_EPROTO;
			}
			for (size_t i = 0; i < k; i++)
				pt->type_buf[i] = (char)tolower((unsigned char)v[i]);
			pt->type_buf[k] = '\0';
		} else if ((size_t)(colon - h) == 10 && !strncasecmp(h, "content-id", 10)) {
			if (vn >= 2 && v[0] == '<' && v[vn - 1] == '>')
				v++, vn -= 2;
			if (vn == 0 || vn > SMF_MP_MAX_ID) {
				*why = "a Content-ID is empty or too long";
				return -SEN_EPROTO;
			}
			for (size_t i = 0; i < vn; i++)
				if ((unsigned char)v[i] < 0x21 || (unsigned char)v[i] > 0x7e) {
					*why = "a Content-ID holds a control character";
					return -SEN_EPROTO;
				}
			memcpy(pt->id, v, vn);
			pt->id[vn] = '\0';
		}
		h += adv;
		hlen -= adv;
	}
	pt->type = pt->type_buf;
	return 0;
}

int smf_mp_parse(const char *ct, const uint8_t *body, size_t len, struct smf_mp *out,
		 const char **why)
{
	char bnd[MAX_BOUNDARY + 1], delim[MAX_BOUNDARY + 5];
	const uint8_t *p, *end = body + len;
	size_t dlen;

	memset(out, 0, sizeof(*out));
	*why = "";
	if (!smf_mp_is_multipart(ct) || get_boundary(ct, bnd, sizeof(bnd)) < 0) {
		*why = "multipart/related without a valid boundary parameter";
		return -SEN_EPROTO;
	}
	/* delim = CRLF "--" boundary; the first delimiter may lack the CRLF. */
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", bnd);
	if (len >= dlen - 2 && !memcmp(body, delim + 2, dlen - 2)) {
		p = body + dlen - 2;
	} else {
		const uint8_t *d = find(body, len, delim, dlen);
		if (!d) {
			*why = "no boundary delimiter in the body";
			return -SEN_EPROTO;
		}
		p = d + dlen;
	}
	for (;;) {
		const uint8_t *hend, *next;
		struct smf_mp_part *pt;

		/* after a delimiter: "--" closes, else optional LWSP then CRLF */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return out->n ? 0 : (*why = "a multipart body without parts", -SEN_EPROTO);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			*why = "a boundary delimiter not followed by CRLF";
			return -SEN_EPROTO;
		}
		p += 2;
		if (out->n == SMF_MP_MAX_PARTS) {
			*why = "too many parts";
			return -SEN_EPROTO;
		}
		pt = &out->part[out->n];
		/* headers end at the first empty line (a part may have no headers at all) */
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			hend = p;
			p += 2;
		} else {
			hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
			if (!hend) {
				*why = "a part without the empty line after its headers";
				return -SEN_EPROTO;
			}
			if (part_headers((const char *)p, (size_t)(hend - p), pt, why) < 0)
				return -SEN_EPROTO;
			p = hend + 4;
		}
		pt->type = pt->type_buf;
		next = find(p, (size_t)(end - p), delim, dlen);
		if (!next) {
			*why = "no closing boundary delimiter";
			return -SEN_EPROTO;
		}
		pt->data = p;
		pt->len = (size_t)(next - p);
		out->n++;
		p = next + dlen;
	}
}

const struct smf_mp_part *smf_mp_find(const struct smf_mp *mp, const char *id)
{
	size_t n;

	if (!id)
		return NULL;
	n = strlen(id);
	if (n >= 2 && id[0] == '<' && id[n - 1] == '>')
		id++, n -= 2;
	for (size_t i = 0; i < mp->n; i++)
		if (strlen(mp->part[i].id) == n && !memcmp(mp->part[i].id, id, n))
			return &mp->part[i];
	return NULL;
}

int smf_mp_build(const struct smf_mp_out *parts, size_t n, uint8_t **body, size_t *len, char *ctype,
		 size_t cap)
{
	char bnd[48];
	size_t total = 0, off = 0;
	uint8_t *b;
	unsigned salt = 0;

	if (n == 0 || n > SMF_MP_MAX_PARTS)
		return -SEN_EINVAL;
again:
	snprintf(bnd, sizeof(bnd), "=-sen-smf-part-boundary-%u", salt);
	for (size_t i = 0; i < n; i++)
		if (find(parts[i].data, parts[i].len, bnd, strlen(bnd))) {
			if (++salt > 1000)
				return -SEN_EINVAL;
			goto again;
		}
	for (size_t i = 0; i < n; i++)
		total += parts[i].len + strlen(bnd) + strlen(parts[i].type) +
			 (parts[i].id ? strlen(parts[i].id) : 0) + 64;
	total += strlen(bnd) + 16;
	if (!(b = malloc(total)))
		return -SEN_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		off +=
		    (size_t)snprintf((char *)b + off, total - off, "%s--%s\r\nContent-Type: %s\r\n",
				     i ? "\r\n" : "", bnd, parts[i].type);
		if (parts[i].id)
			off += (size_t)snprintf((char *)b + off, total - off, "Content-Id: %s\r\n",
						parts[i].id);
		off += (size_t)snprintf((char *)b + off, total - off, "\r\n");
		if (parts[i].len)
			memcpy(b + off, parts[i].data, parts[i].len);
		off += parts[i].len;
	}
	off += (size_t)snprintf((char *)b + off, total - off, "\r\n--%s--\r\n", bnd);
	*body = b;
	*len = off;
	snprintf(ctype, cap, "multipart/related; boundary=\"%s\"; type=\"application/json\"", bnd);
	return 0;
}
