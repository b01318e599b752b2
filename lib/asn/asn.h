/*
 * Table-driven ALIGNED PER (ITU-T X.691) codec.
 *
 * A protocol (lib/ngap) describes each ASN.1 type once as a const struct sen_asn_type and
 * its C representation as an ordinary struct; sen_asn_encode() and sen_asn_decode() walk
 * the description. Clauses: BOOLEAN 12, INTEGER 13, ENUMERATED 14, BIT STRING 16, OCTET
 * STRING 17, NULL 18, SEQUENCE 19, SEQUENCE OF 20, CHOICE 23, open types 11.2,
 * known-multiplier character strings 30 (PrintableString, VisibleString, IA5String, with
 * no permitted-alphabet constraint: 8 bits a character in APER), UTF8String 30.6 / 27.6.
 * (Clause numbers of X.691 08/2015 and 02/2021. The 07/2002 edition, used by Wireshark's
 * comments, has the general rules in 10, most types one lower, character strings in 27.)
 *
 * C representations, by kind (t->size is sizeof the representation):
 *   NULL                 nothing (size 0)
 *   BOOLEAN              bool
 *   INTEGER, ENUMERATED  an integer of t->size bytes (1, 2, 4 or 8): signed when the type
 *                        may be negative (no lb, or lb < 0), else unsigned. ENUMERATED holds
 *                        the enumeration index: 0..nroot-1 for the root, nroot+k for the
 *                        k-th extension addition (X.691 14.2; for the usual ENUMERATED whose
 *                        items are in ascending order, the position in the definition).
 *   BIT STRING           struct sen_asn_bits
 *   OCTET STRING, the character strings   struct sen_asn_octets (characters as octets)
 *   SEQUENCE             a struct; members[] say where each component lives
 *   SEQUENCE OF          struct sen_asn_list (items: an array of t->elem->size each)
 *   CHOICE               a struct with a uint32_t alternative index at t->index_off and the
 *                        alternatives (usually a union) at their members[].offset
 *   OPEN TYPE            struct sen_asn_open
 *   IE CONTAINER         the struct of the enclosing message: one field per IE
 *
 * Memory model for decoding: the caller provides the top-level value (t->size bytes,
 * zeroed by the decoder) and a struct sen_asn_arena; everything else the decoded value
 * needs (SEQUENCE OF arrays, pointer members, open-type values, joined fragments, strings
 * that are not octet-aligned in the input) comes from that arena, and is freed with it.
 * OCTET STRING / character string / octet-aligned BIT STRING values point INTO THE INPUT
 * buffer (no copy) unless SEN_ASN_COPY is set in the context flags: the input must then
 * outlive the decoded value. Nothing else is ever allocated.
 *
 * Hostile input: every length, count and index is checked against its constraint and
 * against the bits that remain; SEQUENCE OF counts are bounded by the input; recursion is
 * bounded by SEN_ASN_MAX_DEPTH; no read goes outside the input; nothing asserts.
 */
#ifndef SEN_ASN_ASN_H
#define SEN_ASN_ASN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asn/arena.h"
#include "asn/per.h"

/* ---- C representations ----------------------------------------------------------- */

struct sen_asn_octets {
	const uint8_t *data;
	uint32_t len; /* octets (characters for the character strings) */
};

struct sen_asn_bits {
	const uint8_t *data; /* bits, most significant bit of data[0] first */
	uint32_t nbits;
};

/* SEQUENCE OF. A typed struct with the same layout may be used: { T *items; uint32_t count; } */
struct sen_asn_list {
	void *items;
	uint32_t count;
};
#define SEN_ASN_LIST(T)                                                                            \
	struct {                                                                                   \
		T *items;                                                                          \
		uint32_t count;                                                                    \
	}

struct sen_asn_type;

/*
 * Open type value. Decoding: type is what the member's resolver chose (NULL when it knows
 * none: then only data/len are set), value points to a decoded value of that type in the
 * arena, data/len hold the encoding. Encoding: if value is set, it is encoded with type (or
 * with what the resolver returns for the enclosing value when type is NULL); otherwise
 * data/len are written as they are.
 */
struct sen_asn_open {
	const struct sen_asn_type *type;
	void *value;
	const uint8_t *data;
	uint32_t len;
};

/* An IE of a container that the descriptor does not know (kept when raw_off is set). */
struct sen_asn_raw_ie {
	uint32_t id;
	uint8_t criticality;
	const uint8_t *data; /* the IE value's encoding (open type contents) */
	uint32_t len;
};
typedef SEN_ASN_LIST(struct sen_asn_raw_ie) sen_asn_raw_ies;

/* An extension addition of a SEQUENCE that the descriptor does not know (kept when raw_off
 * is set), so that a value from a newer peer re-encodes as it came (X.691 19.7-19.9). */
struct sen_asn_raw_ext {
	uint32_t index;	     /* position among the type's additions: 0 = first after "..." */
	const uint8_t *data; /* the addition's encoding (open type contents) */
	uint32_t len;
};
typedef SEN_ASN_LIST(struct sen_asn_raw_ext) sen_asn_raw_exts;

/* ---- descriptors ----------------------------------------------------------------- */

enum sen_asn_kind {
	SEN_ASN_NULL = 1,
	SEN_ASN_BOOLEAN,
	SEN_ASN_INTEGER,
	SEN_ASN_ENUMERATED,
	SEN_ASN_BIT_STRING,
	SEN_ASN_OCTET_STRING,
	SEN_ASN_PRINTABLE_STRING,
	SEN_ASN_VISIBLE_STRING,
	SEN_ASN_IA5_STRING,
	SEN_ASN_UTF8_STRING,
	SEN_ASN_SEQUENCE,
	SEN_ASN_SEQUENCE_OF,
	SEN_ASN_CHOICE,
	SEN_ASN_OPEN_TYPE,
	SEN_ASN_IE_CONTAINER, /* ProtocolIE-Container / ProtocolExtensionContainer, flattened */
};

/* sen_asn_type.flags */
#define SEN_ASN_EXT                                                                                \
	0x01u		     /* "..." in the type (SEQUENCE, CHOICE, ENUMERATED) or in its         \
				PER-visible constraint (INTEGER value, string/SEQUENCE OF size) */
#define SEN_ASN_HAS_LB 0x02u /* INTEGER: lb is set (with HAS_UB: constrained; alone: semi) */
#define SEN_ASN_HAS_UB 0x04u /* INTEGER: ub is set (only together with HAS_LB) */

/* Size constraint upper bound meaning "no upper bound" (SIZE(lb..MAX) or none). */
#define SEN_ASN_MAX UINT32_MAX

/* sen_asn_member.flags */
#define SEN_ASN_OPTIONAL                                                                           \
	0x01u /* OPTIONAL or DEFAULT (a root component with a presence bit);                       \
		 in an IE container: an optional or conditional IE */
#define SEN_ASN_EXTADD                                                                             \
	0x02u /* SEQUENCE: an extension addition (or addition group, whose                         \
		 type is then a SEQUENCE without SEN_ASN_EXT) after "..." */
#define SEN_ASN_PTR                                                                                \
	0x04u /* the field is a pointer to the value (NULL = absent when                           \
		 optional); decoding allocates it in the arena. Allows                             \
		 recursive types and keeps rare, large components out of line */

/* Criticality (NGAP-CommonDataTypes): ENUMERATED { reject, ignore, notify } */
enum sen_asn_criticality {
	SEN_ASN_REJECT = 0,
	SEN_ASN_IGNORE = 1,
	SEN_ASN_NOTIFY = 2,
};

struct sen_asn_member {
	const char *name;
	const struct sen_asn_type *type;
	uint32_t offset;     /* of the value (or of the pointer, with SEN_ASN_PTR) in the parent */
	uint32_t present;    /* offsetof(parent, bool flag) + 1, or 0 when there is none (see
				SEN_ASN_PRESENT). Needed by optional members and extension
				additions that are not SEN_ASN_PTR. */
	uint16_t flags;	     /* SEN_ASN_OPTIONAL, SEN_ASN_EXTADD, SEN_ASN_PTR */
	uint16_t id;	     /* IE container: the ProtocolIE-ID */
	uint8_t criticality; /* IE container: criticality sent with this IE */
};

/* Value for sen_asn_member.present. */
#define SEN_ASN_PRESENT(type, field) ((uint32_t)offsetof(type, field) + 1u)

/* Open type resolver: the type of an open type given the value that contains it (e.g.
 * InitiatingMessage.value from InitiatingMessage.procedureCode). NULL = unknown. */
typedef const struct sen_asn_type *(*sen_asn_resolver)(const struct sen_asn_type *self,
						       const void *parent);

/* One row of a key table for sen_asn_resolve_key(). */
struct sen_asn_keyed {
	int64_t key;
	const struct sen_asn_type *type;
};

struct sen_asn_type {
	const char *name;
	uint8_t kind;  /* enum sen_asn_kind */
	uint8_t flags; /* SEN_ASN_EXT, SEN_ASN_HAS_LB, SEN_ASN_HAS_UB */
	uint32_t size; /* sizeof the C representation */

	/* INTEGER: value constraint (see flags) */
	int64_t lb, ub;

	/* strings, SEQUENCE OF, IE CONTAINER: SIZE(min..max); max SEN_ASN_MAX = no bound.
	   Both 0 (the default) means no size constraint for strings and SEQUENCE OF, and
	   0..65535 (maxProtocolIEs) for an IE container. */
	uint32_t min, max;

	/* ENUMERATED: nroot root items, next known extension additions.
	   CHOICE: nroot root alternatives (members[0..nroot-1]), the rest are extensions.
	   SEQUENCE: members with SEN_ASN_EXTADD must come after all root members. */
	uint32_t nroot, next;

	/* SEQUENCE components, CHOICE alternatives, IE container IEs */
	const struct sen_asn_member *members;
	uint32_t nmembers;

	/* CHOICE: offset of the uint32_t alternative index */
	uint32_t index_off;
	/* CHOICE: offsetof(struct sen_asn_octets) + 1 to keep an unknown extension
	   alternative's encoding; SEQUENCE: offsetof(sen_asn_raw_exts) + 1 to keep unknown
	   extension additions (indices at or beyond the known ones, ascending); IE
	   CONTAINER: offsetof(sen_asn_raw_ies) + 1 to keep unknown IEs; 0 = drop them. */
	uint32_t raw_off;

	/* SEQUENCE OF: the element type */
	const struct sen_asn_type *elem;

	/* OPEN TYPE: how to find the actual type from the enclosing value */
	sen_asn_resolver resolve;
	/* for sen_asn_resolve_key: the key is the integer of key_size bytes at key_off in
	   the enclosing value (signed if key_signed), looked up in table[0..ntable-1] */
	const struct sen_asn_keyed *table;
	uint32_t ntable;
	uint32_t key_off;
	uint8_t key_size;
	bool key_signed;
};

/* Generic resolver: looks the key field up in self->table. */
const struct sen_asn_type *sen_asn_resolve_key(const struct sen_asn_type *self, const void *parent);

/* ---- decoding context ------------------------------------------------------------ */

#define SEN_ASN_MAX_DEPTH   48	/* nesting of types while decoding or encoding */
#define SEN_ASN_MAX_DIAG    16	/* criticality diagnostics kept per decode */
#define SEN_ASN_MAX_PATH    12	/* error path entries kept */
#define SEN_ASN_MAX_MEMBERS 256 /* components of one SEQUENCE / IEs of one container */
#define SEN_ASN_MAX_EMPTY   64	/* SEQUENCE OF counts above this must fit the bits left */
#define SEN_ASN_MAX_RAW_EXT 256 /* unknown SEQUENCE extension additions kept: index < this */

/* sen_asn_ctx.flags */
#define SEN_ASN_COPY                                                                               \
	0x01u /* copy string values into the arena instead of pointing into                        \
		 the input */

/* What went wrong with an IE of a container (TS 38.413 9.3.1.3 TypeOfError, 10.3). */
enum sen_asn_diag_kind {
	SEN_ASN_NOT_UNDERSTOOD = 0, /* unknown IE id: skipped (kept raw if raw_off is set) */
	SEN_ASN_MISSING = 1,	    /* a mandatory IE is absent */
	SEN_ASN_DUPLICATE = 2,	    /* an IE appeared again: the repetition was skipped */
	SEN_ASN_WRONG_ORDER = 3,    /* a known IE came after one that the descriptor (the
				       tabular order of the message) lists later; decoded */
};

struct sen_asn_diag {
	const struct sen_asn_type *container; /* the IE container it was found in */
	uint32_t id;			      /* the IE id */
	uint8_t criticality;		      /* received (not understood, duplicate) or
						 from the descriptor (missing) */
	uint8_t kind;			      /* enum sen_asn_diag_kind */
};

/* One level of the path to a decoding error, innermost first. */
struct sen_asn_where {
	const char *name; /* member, alternative or type name */
	int32_t ie;	  /* IE id when the level is an IE, else -1 */
	int32_t item;	  /* SEQUENCE OF element index, else -1 */
};

struct sen_asn_ctx {
	struct sen_asn_arena *arena;
	unsigned flags; /* SEN_ASN_COPY */
	unsigned depth;
	/* criticality diagnostics (IE containers): filled by decode, never an error */
	unsigned ndiag;
	bool diag_lost; /* more than SEN_ASN_MAX_DIAG */
	struct sen_asn_diag diag[SEN_ASN_MAX_DIAG];
	/* where a failed decode failed (innermost first; when deeper than SEN_ASN_MAX_PATH
	   the innermost levels are dropped and path_lost is set) */
	unsigned npath;
	bool path_lost;
	struct sen_asn_where path[SEN_ASN_MAX_PATH];
	/* when a failed decode was truncated (-SEN_EMSGSIZE) by a length determinant (open
	   type, IE value, unconstrained string) announcing more octets than were left: that
	   length and the octets left (the innermost such; both 0 when not known) */
	size_t overrun_len, overrun_left;
};

/* Prepare a context for one decode (arena may be NULL only for types that allocate
 * nothing; a decode that needs memory then fails with -SEN_ENOMEM). */
void sen_asn_ctx_init(struct sen_asn_ctx *ctx, struct sen_asn_arena *arena, unsigned flags);

/* True if a diagnostic of criticality reject was recorded (TS 38.413 10.3.4.1/10.3.5:
 * the procedure must then be rejected / an Error Indication sent). */
bool sen_asn_ctx_must_reject(const struct sen_asn_ctx *ctx);

/* Write the path of the last decoding error, outermost first, e.g.
 * "NGAP-PDU.initiatingMessage.value.protocolIEs[id 85 RAN-UE-NGAP-ID]" into buf (always
 * NUL-terminated when len > 0). Returns the length that was (or would be) written. */
int sen_asn_ctx_where(const struct sen_asn_ctx *ctx, char *buf, size_t len);

/* ---- encode / decode ------------------------------------------------------------- */

/*
 * Encode value (a C representation of t) as a complete APER encoding (X.691 11.1: padded
 * to whole octets; at least one octet) into out[0..cap). Returns the number of octets,
 * -SEN_EMSGSIZE if cap is too small, -SEN_ERANGE if a value breaks its constraint,
 * -SEN_EINVAL for an inconsistent value or descriptor (unknown CHOICE index, missing
 * mandatory pointer, too deep).
 */
int sen_asn_encode(const struct sen_asn_type *t, const void *value, uint8_t *out, size_t cap);

/* Append the encoding of value to w (no final padding): for composing by hand. */
int sen_asn_encode_to(const struct sen_asn_type *t, const void *value, struct sen_asn_wr *w);

/*
 * Decode a complete encoding of t from data[0..len) into value (t->size bytes, zeroed
 * first). Returns the number of octets the encoding used (trailing octets are left to the
 * caller to judge), or -SEN_EMSGSIZE (truncated), -SEN_EPROTO (malformed, or a value
 * outside its constraints or outside its C representation), -SEN_ENOMEM (arena limit).
 * On failure ctx->path says where; the value is partly filled and must be discarded (the
 * arena still owns what was allocated). ctx->diag and ctx->path are cleared on entry, so
 * one context may serve many decodes (reset the arena between PDUs as needed).
 */
int sen_asn_decode(const struct sen_asn_type *t, void *value, const uint8_t *data, size_t len,
		   struct sen_asn_ctx *ctx);

/* Decode t from the reader's position (value is not zeroed first). */
int sen_asn_decode_from(const struct sen_asn_type *t, void *value, struct sen_asn_rd *r,
			struct sen_asn_ctx *ctx);

/*
 * Check a descriptor tree for mistakes a table author can make (bounds in the wrong order,
 * C sizes that do not fit, extension additions before root members, presence missing for
 * an optional member, more than SEN_ASN_MAX_MEMBERS members ...). Returns 0, or -SEN_EINVAL
 * and writes the offending type's name into why (if why_len > 0). For unit tests of
 * protocol tables; the codec itself never trusts a descriptor less than this.
 */
int sen_asn_check(const struct sen_asn_type *t, char *why, size_t why_len);

#endif
