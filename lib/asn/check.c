/*
 * Consistency checks for descriptor tables (sen_asn_check, see asn.h): catch a table
 * author's mistakes in a unit test rather than as a wrong encoding on the wire.
 */
#include <stdio.h>

#include "asn/asn_int.h"
#include "core/err.h"

#define CHECK_DEPTH 24 /* recursive types are checked this deep, then accepted */

static int fail(const struct sen_asn_type *t, const char *what, char *why, size_t len)
{
	if (len)
		snprintf(why, len, "%s: %s", t->name ? t->name : "(unnamed type)", what);
	return -SEN_EINVAL;
}

static bool int_size_ok(uint32_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static bool fits(int64_t v, uint32_t size, bool sgn)
{
	_Alignas(8) unsigned char buf[8];
	return sen_asn_store_int(buf, size, sgn, v) == 0;
}

static int check(const struct sen_asn_type *t, char *why, size_t len, unsigned depth);

static int check_members(const struct sen_asn_type *t, char *why, size_t len, unsigned depth,
			 bool ies)
{
	bool seen_ext = false;

	if (t->nmembers > SEN_ASN_MAX_MEMBERS)
		return fail(t, "too many members", why, len);
	if (t->nmembers && !t->members)
		return fail(t, "members missing", why, len);
	for (uint32_t i = 0; i < t->nmembers; i++) {
		const struct sen_asn_member *m = &t->members[i];
		if (!m->type)
			return fail(t, "member without a type", why, len);
		size_t need = (m->flags & SEN_ASN_PTR) ? sizeof(void *) : m->type->size;
		if (m->offset + need > t->size)
			return fail(t, "member outside the struct", why, len);
		if (m->present && m->present - 1 + sizeof(bool) > t->size)
			return fail(t, "presence flag outside the struct", why, len);
		if (m->flags & SEN_ASN_EXTADD) {
			if (t->kind != SEN_ASN_SEQUENCE || !(t->flags & SEN_ASN_EXT))
				return fail(t, "extension addition in a non-extensible type", why,
					    len);
			seen_ext = true;
		} else if (seen_ext) {
			return fail(t, "root member after an extension addition", why, len);
		}
		if ((m->flags & (SEN_ASN_OPTIONAL | SEN_ASN_EXTADD)) && !(m->flags & SEN_ASN_PTR) &&
		    !m->present)
			return fail(t, "optional member without a presence flag", why, len);
		if (ies) {
			if (m->criticality > SEN_ASN_NOTIFY)
				return fail(t, "bad criticality", why, len);
			for (uint32_t j = 0; j < i; j++)
				if (t->members[j].id == m->id)
					return fail(t, "IE id listed twice", why, len);
		}
		int rc = check(m->type, why, len, depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

static int check(const struct sen_asn_type *t, char *why, size_t len, unsigned depth)
{
	if (depth > CHECK_DEPTH)
		return 0;
	switch (t->kind) {
	case SEN_ASN_NULL:
		return 0;
	case SEN_ASN_BOOLEAN:
		return t->size == sizeof(bool) ? 0 : fail(t, "size is not sizeof(bool)", why, len);
	case SEN_ASN_INTEGER: {
		bool sgn = sen_asn_int_signed(t);
		if (!int_size_ok(t->size))
			return fail(t, "size must be 1, 2, 4 or 8", why, len);
		if ((t->flags & SEN_ASN_HAS_UB) && !(t->flags & SEN_ASN_HAS_LB))
			return fail(t, "ub without lb", why, len);
		if ((t->flags & SEN_ASN_HAS_UB) && t->lb > t->ub)
			return fail(t, "lb > ub", why, len);
		if ((t->flags & SEN_ASN_HAS_LB) && !fits(t->lb, t->size, sgn))
			return fail(t, "lb does not fit the C type", why, len);
		if ((t->flags & SEN_ASN_HAS_UB) && !fits(t->ub, t->size, sgn))
			return fail(t, "ub does not fit the C type", why, len);
		return 0;
	}
	case SEN_ASN_ENUMERATED:
		if (!int_size_ok(t->size))
			return fail(t, "size must be 1, 2, 4 or 8", why, len);
		if (t->nroot == 0)
			return fail(t, "no root enumerations", why, len);
		if (t->next && !(t->flags & SEN_ASN_EXT))
			return fail(t, "extension values without SEN_ASN_EXT", why, len);
		if (!fits((int64_t)t->nroot + t->next - 1, t->size, false))
			return fail(t, "values do not fit the C type", why, len);
		return 0;
	case SEN_ASN_BIT_STRING:
		if (t->size != sizeof(struct sen_asn_bits))
			return fail(t, "size is not sizeof(struct sen_asn_bits)", why, len);
		return t->min > t->max ? fail(t, "min > max", why, len) : 0;
	case SEN_ASN_OCTET_STRING:
	case SEN_ASN_PRINTABLE_STRING:
	case SEN_ASN_VISIBLE_STRING:
	case SEN_ASN_IA5_STRING:
	case SEN_ASN_UTF8_STRING:
		if (t->size != sizeof(struct sen_asn_octets))
			return fail(t, "size is not sizeof(struct sen_asn_octets)", why, len);
		return t->min > t->max ? fail(t, "min > max", why, len) : 0;
	case SEN_ASN_SEQUENCE:
		if (t->raw_off && !(t->flags & SEN_ASN_EXT))
			return fail(t, "raw_off in a non-extensible SEQUENCE", why, len);
		if (t->raw_off && t->raw_off - 1 + sizeof(sen_asn_raw_exts) > t->size)
			return fail(t, "raw_off outside the struct", why, len);
		return check_members(t, why, len, depth, false);
	case SEN_ASN_SEQUENCE_OF:
		if (t->size != sizeof(struct sen_asn_list))
			return fail(t, "size is not sizeof(struct sen_asn_list)", why, len);
		if (!t->elem)
			return fail(t, "no element type", why, len);
		if (t->min > t->max)
			return fail(t, "min > max", why, len);
		return check(t->elem, why, len, depth + 1);
	case SEN_ASN_CHOICE:
		if (t->nroot == 0 || t->nroot > t->nmembers)
			return fail(t, "nroot must be 1..nmembers", why, len);
		if (t->nmembers > t->nroot && !(t->flags & SEN_ASN_EXT))
			return fail(t, "extension alternatives without SEN_ASN_EXT", why, len);
		if (t->index_off + sizeof(uint32_t) > t->size)
			return fail(t, "index outside the struct", why, len);
		if (t->raw_off && t->raw_off - 1 + sizeof(struct sen_asn_octets) > t->size)
			return fail(t, "raw_off outside the struct", why, len);
		for (uint32_t i = 0; i < t->nmembers; i++)
			if (t->members[i].flags & (SEN_ASN_OPTIONAL | SEN_ASN_EXTADD))
				return fail(t, "CHOICE alternatives are not optional", why, len);
		return check_members(t, why, len, depth, false);
	case SEN_ASN_OPEN_TYPE:
		if (t->size != sizeof(struct sen_asn_open))
			return fail(t, "size is not sizeof(struct sen_asn_open)", why, len);
		if (t->resolve == sen_asn_resolve_key) {
			if (!int_size_ok(t->key_size))
				return fail(t, "key_size must be 1, 2, 4 or 8", why, len);
			for (uint32_t i = 0; i < t->ntable; i++) {
				int rc;
				if (!t->table[i].type)
					return fail(t, "table row without a type", why, len);
				if ((rc = check(t->table[i].type, why, len, depth + 1)))
					return rc;
			}
		}
		return 0;
	case SEN_ASN_IE_CONTAINER:
		if (t->min > t->max || t->max > 65535)
			return fail(t, "size must be within 0..65535", why, len);
		if (t->raw_off && t->raw_off - 1 + sizeof(sen_asn_raw_ies) > t->size)
			return fail(t, "raw_off outside the struct", why, len);
		return check_members(t, why, len, depth, true);
	}
	return fail(t, "unknown kind", why, len);
}

int sen_asn_check(const struct sen_asn_type *t, char *why, size_t why_len)
{
	if (why_len)
		why[0] = 0;
	if (!t)
		return -SEN_EINVAL;
	return check(t, why, why_len, 0);
}
