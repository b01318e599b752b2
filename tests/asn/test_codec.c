/*
 * Unit tests for the table-driven APER codec (lib/asn/asn.h): each kind against
 * hand-computed X.691 encodings, extension markers both ways, SEQUENCE / CHOICE /
 * SEQUENCE OF round trips, fragmented strings and lists, hostile input (truncation at
 * every octet, random corruption, deep nesting, huge counts, arena limit), and the
 * memory model (strings pointing into the input, or copied with SEN_ASN_COPY).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "asn/asn.h"
#include "core/err.h"
#include "core/hex.h"

static uint8_t out[4096];
static uint8_t arena_buf[8192];
static struct sen_asn_arena arena;
static struct sen_asn_ctx ctx;

static int setup(void **state)
{
	sen_asn_arena_init(&arena, arena_buf, sizeof(arena_buf), 0);
	sen_asn_ctx_init(&ctx, &arena, 0);
	return 0;
}

static int teardown(void **state)
{
	sen_asn_arena_fini(&arena);
	return 0;
}

static void fresh(void)
{
	sen_asn_arena_reset(&arena);
	sen_asn_ctx_init(&ctx, &arena, 0);
}

/* Encode v with t and compare with hex; then decode it back into dec. */
static void enc_expect(const struct sen_asn_type *t, const void *v, const char *hex)
{
	uint8_t want[512];
	char got[2 * sizeof(out) + 1];
	int n = sen_hex_decode(hex, want, sizeof(want));
	assert_true(n > 0);
	int len = sen_asn_encode(t, v, out, sizeof(out));
	assert_true(len > 0);
	sen_hex_encode(out, (size_t)len, got);
	if (len != n || memcmp(out, want, (size_t)n))
		fail_msg("%s: encoded %s, expected %s", t->name, got, hex);
}

static int dec_hex(const struct sen_asn_type *t, void *v, const char *hex, uint8_t *buf, size_t cap)
{
	int n = sen_hex_decode(hex, buf, cap);
	assert_true(n >= 0);
	fresh();
	return sen_asn_decode(t, v, buf, (size_t)n, &ctx);
}

/* ---- simple types -------------------------------------------------------------- */

static const struct sen_asn_type t_bool = {
    .name = "BOOLEAN", .kind = SEN_ASN_BOOLEAN, .size = sizeof(bool)};
static const struct sen_asn_type t_int7 = {.name = "INTEGER(0..7)",
					   .kind = SEN_ASN_INTEGER,
					   .size = 1,
					   .flags = SEN_ASN_HAS_LB | SEN_ASN_HAS_UB,
					   .lb = 0,
					   .ub = 7};
static const struct sen_asn_type t_int3 = {.name = "INTEGER(0..3)",
					   .kind = SEN_ASN_INTEGER,
					   .size = 1,
					   .flags = SEN_ASN_HAS_LB | SEN_ASN_HAS_UB,
					   .lb = 0,
					   .ub = 3};
static const struct sen_asn_type t_u8 = {.name = "INTEGER(0..255)",
					 .kind = SEN_ASN_INTEGER,
					 .size = 1,
					 .flags = SEN_ASN_HAS_LB | SEN_ASN_HAS_UB,
					 .lb = 0,
					 .ub = 255};
static const struct sen_asn_type t_int_ext = {.name = "INTEGER(0..100,...)",
					      .kind = SEN_ASN_INTEGER,
					      .size = 4,
					      .flags =
						  SEN_ASN_HAS_LB | SEN_ASN_HAS_UB | SEN_ASN_EXT,
					      .lb = -100,
					      .ub = 100};
static const struct sen_asn_type t_amf_id = {.name = "AMF-UE-NGAP-ID",
					     .kind = SEN_ASN_INTEGER,
					     .size = 8,
					     .flags = SEN_ASN_HAS_LB | SEN_ASN_HAS_UB,
					     .lb = 0,
					     .ub = 1099511627775LL};
static const struct sen_asn_type t_semi = {.name = "INTEGER(0..MAX)",
					   .kind = SEN_ASN_INTEGER,
					   .size = 8,
					   .flags = SEN_ASN_HAS_LB,
					   .lb = 0};
static const struct sen_asn_type t_uncon = {.name = "INTEGER", .kind = SEN_ASN_INTEGER, .size = 2};
static const struct sen_asn_type t_enum = {.name = "ENUMERATED{a,b,c,...,d}",
					   .kind = SEN_ASN_ENUMERATED,
					   .size = 4,
					   .flags = SEN_ASN_EXT,
					   .nroot = 3,
					   .next = 1};
static const struct sen_asn_type t_null = {.name = "NULL", .kind = SEN_ASN_NULL};

static void test_integer(void **state)
{
	uint8_t b = 5;
	enc_expect(&t_int7, &b, "a0"); /* 13.2.2 / 11.5.7.1: 101 */
	b = 8;
	assert_int_equal(sen_asn_encode(&t_int7, &b, out, sizeof(out)), -SEN_ERANGE);

	int32_t x = 100; /* 13.1: extensible, in root: 0 + constrained 200 in 0..200 (8 bits) */
	enc_expect(&t_int_ext, &x, "6400");
	x = 101; /* outside the root: 1, then unconstrained (aligned length + 2's complement) */
	enc_expect(&t_int_ext, &x, "800165");
	x = -300;
	enc_expect(&t_int_ext, &x, "8002fed4");
	uint8_t buf[16];
	int32_t y;
	assert_int_equal(dec_hex(&t_int_ext, &y, "8002fed4", buf, sizeof(buf)), 4);
	assert_int_equal(y, -300);

	uint64_t id = 12; /* TS 38.413 AMF-UE-NGAP-ID 0..2^40-1 */
	enc_expect(&t_amf_id, &id, "000c");
	id = 1099511627775ULL;
	enc_expect(&t_amf_id, &id, "80ffffffffff");
	uint64_t id2;
	assert_int_equal(dec_hex(&t_amf_id, &id2, "80ffffffffff", buf, sizeof(buf)), 6);
	assert_true(id2 == id);

	int64_t s = 128;
	enc_expect(&t_semi, &s, "0180");
	int16_t u = -129;
	enc_expect(&t_uncon, &u, "02ff7f");
	/* a value that does not fit the C representation is refused, not truncated */
	assert_int_equal(dec_hex(&t_uncon, &u, "03010000", buf, sizeof(buf)), -SEN_EPROTO);
	/* INTEGER(0..7) in a uint8_t: 0..7 only */
	assert_int_equal(dec_hex(&t_int7, &b, "e0", buf, sizeof(buf)), 1);
	assert_int_equal(b, 7);
}

static void test_enumerated_boolean_null(void **state)
{
	uint32_t e = 2; /* 14.2: 0 + index 2 in 2 bits */
	enc_expect(&t_enum, &e, "40");
	e = 3; /* 14.3: 1 + normally small 0 */
	enc_expect(&t_enum, &e, "80");
	/* an extension value we do not know (beyond t->next) still encodes (14.3): 1, then
	   normally small 1 (0 000001) */
	e = 4;
	enc_expect(&t_enum, &e, "81");
	/* an extension value we do not know decodes as nroot + index, and re-encodes */
	uint8_t buf[4];
	assert_int_equal(dec_hex(&t_enum, &e, "85", buf, sizeof(buf)), 1); /* 1 0 000101 */
	assert_int_equal(e, 3 + 5);
	enc_expect(&t_enum, &e, "85");
	/* index 64 and up: 1, then 1 + semi-constrained (aligned length 1, octet 0x40) (11.6) */
	e = 3 + 64;
	enc_expect(&t_enum, &e, "c00140");
	assert_int_equal(dec_hex(&t_enum, &e, "c00140", buf, sizeof(buf)), 3);
	assert_int_equal(e, 3 + 64);
	/* root index 3 of 3 is not a value */
	assert_int_equal(dec_hex(&t_enum, &e, "60", buf, sizeof(buf)), -SEN_EPROTO);

	bool t = true;
	enc_expect(&t_bool, &t, "80");
	/* a lone NULL: the complete encoding is one zero octet (11.1) */
	enc_expect(&t_null, NULL, "00");
}

/* ---- strings ------------------------------------------------------------------- */

static const struct sen_asn_type t_os3 = {.name = "OCTET STRING (SIZE(3))",
					  .kind = SEN_ASN_OCTET_STRING,
					  .size = sizeof(struct sen_asn_octets),
					  .min = 3,
					  .max = 3};
static const struct sen_asn_type t_os1 = {.name = "OCTET STRING (SIZE(1))",
					  .kind = SEN_ASN_OCTET_STRING,
					  .size = sizeof(struct sen_asn_octets),
					  .min = 1,
					  .max = 1};
static const struct sen_asn_type t_os07 = {.name = "OCTET STRING (SIZE(0..7))",
					   .kind = SEN_ASN_OCTET_STRING,
					   .size = sizeof(struct sen_asn_octets),
					   .min = 0,
					   .max = 7};
static const struct sen_asn_type t_os = {
    .name = "OCTET STRING", .kind = SEN_ASN_OCTET_STRING, .size = sizeof(struct sen_asn_octets)};
static const struct sen_asn_type t_os_ext = {.name = "OCTET STRING (SIZE(2,...))",
					     .kind = SEN_ASN_OCTET_STRING,
					     .size = sizeof(struct sen_asn_octets),
					     .min = 2,
					     .max = 2,
					     .flags = SEN_ASN_EXT};
static const struct sen_asn_type t_bs_22_32 = {.name = "BIT STRING (SIZE(22..32))",
					       .kind = SEN_ASN_BIT_STRING,
					       .size = sizeof(struct sen_asn_bits),
					       .min = 22,
					       .max = 32};
static const struct sen_asn_type t_bs10 = {.name = "BIT STRING (SIZE(10))",
					   .kind = SEN_ASN_BIT_STRING,
					   .size = sizeof(struct sen_asn_bits),
					   .min = 10,
					   .max = 10};
static const struct sen_asn_type t_bs256 = {.name = "BIT STRING (SIZE(256))",
					    .kind = SEN_ASN_BIT_STRING,
					    .size = sizeof(struct sen_asn_bits),
					    .min = 256,
					    .max = 256};
static const struct sen_asn_type t_bs16_ext = {.name = "BIT STRING (SIZE(16,...))",
					       .kind = SEN_ASN_BIT_STRING,
					       .size = sizeof(struct sen_asn_bits),
					       .min = 16,
					       .max = 16,
					       .flags = SEN_ASN_EXT};
static const struct sen_asn_type t_bs = {
    .name = "BIT STRING", .kind = SEN_ASN_BIT_STRING, .size = sizeof(struct sen_asn_bits)};
static const struct sen_asn_type t_ps = {.name = "PrintableString (SIZE(1..150,...))",
					 .kind = SEN_ASN_PRINTABLE_STRING,
					 .size = sizeof(struct sen_asn_octets),
					 .min = 1,
					 .max = 150,
					 .flags = SEN_ASN_EXT};
static const struct sen_asn_type t_ps2 = {.name = "PrintableString (SIZE(2))",
					  .kind = SEN_ASN_PRINTABLE_STRING,
					  .size = sizeof(struct sen_asn_octets),
					  .min = 2,
					  .max = 2};
static const struct sen_asn_type t_vs = {.name = "VisibleString (SIZE(0..1))",
					 .kind = SEN_ASN_VISIBLE_STRING,
					 .size = sizeof(struct sen_asn_octets),
					 .min = 0,
					 .max = 1};
static const struct sen_asn_type t_ia5 = {
    .name = "IA5String", .kind = SEN_ASN_IA5_STRING, .size = sizeof(struct sen_asn_octets)};
static const struct sen_asn_type t_utf8 = {.name = "UTF8String (SIZE(1..150,...))",
					   .kind = SEN_ASN_UTF8_STRING,
					   .size = sizeof(struct sen_asn_octets),
					   .min = 1,
					   .max = 150,
					   .flags = SEN_ASN_EXT};

#define OCT(s) ((struct sen_asn_octets){(const uint8_t *)(s), sizeof(s) - 1})

static void test_octet_string(void **state)
{
	struct sen_asn_octets o = OCT("\x00\xf1\x10"), d;
	uint8_t buf[64];

	enc_expect(&t_os3, &o, "00f110"); /* 17.7: fixed 3, aligned, no length */
	o = OCT("\x12\x34");
	enc_expect(&t_os07, &o, "401234"); /* 17.8: length 010, pad, octets */
	o = OCT("\xab");
	enc_expect(&t_os, &o, "01ab"); /* unconstrained length */
	/* 17.3 + 17.6: in the root (2 octets): ext 0, then unaligned 00000001 00000010 */
	enc_expect(&t_os_ext, &OCT("\x01\x02"), "008100");
	/* outside the root: ext 1, then an unconstrained (aligned) length */
	enc_expect(&t_os_ext, &OCT("\x01\x02\x03"), "8003010203");
	assert_int_equal(sen_asn_encode(&t_os3, &OCT("\x01"), out, sizeof(out)), -SEN_ERANGE);

	/* decoded aligned strings point into the input ... */
	assert_int_equal(dec_hex(&t_os07, &d, "401234", buf, sizeof(buf)), 3);
	assert_int_equal(d.len, 2);
	assert_ptr_equal(d.data, buf + 1);
	/* ... unaligned ones are copied into the arena ... */
	assert_int_equal(dec_hex(&t_os_ext, &d, "008100", buf, sizeof(buf)), 3);
	assert_int_equal(d.len, 2);
	assert_true(d.data < buf || d.data >= buf + sizeof(buf));
	assert_memory_equal(d.data, "\x01\x02", 2);
	/* ... and with SEN_ASN_COPY, everything is */
	int n = sen_hex_decode("401234", buf, sizeof(buf));
	fresh();
	sen_asn_ctx_init(&ctx, &arena, SEN_ASN_COPY);
	assert_int_equal(sen_asn_decode(&t_os07, &d, buf, (size_t)n, &ctx), 3);
	assert_true(d.data < buf || d.data >= buf + sizeof(buf));
	assert_memory_equal(d.data, "\x12\x34", 2);
	/* length 0..7 but 3 bits say 7 and only 1 octet follows */
	assert_int_equal(dec_hex(&t_os07, &d, "e012", buf, sizeof(buf)), -SEN_EMSGSIZE);
}

static void test_bit_string(void **state)
{
	uint8_t buf[64];
	struct sen_asn_bits b = {(const uint8_t *)"\x00\x06\x6c", 22}, d;
	/* 16.11: length 22 in 22..32 = 0000, pad, then 22 bits (gNB-ID of srsRAN's vector) */
	enc_expect(&t_bs_22_32, &b, "0000066c");
	assert_int_equal(dec_hex(&t_bs_22_32, &d, "0000066c", buf, sizeof(buf)), 4);
	assert_int_equal(d.nbits, 22);
	assert_memory_equal(d.data, "\x00\x06\x6c", 3);

	/* 16.9: fixed <= 16 bits: no alignment. 1 bit, then 10 bits 1011001110 */
	struct sen_asn_bits ten = {(const uint8_t *)"\xb3\x80", 10};
	struct {
		bool a;
		struct sen_asn_bits b;
	} sv = {true, ten}, sd;
	static const struct sen_asn_member m[] = {
	    {.name = "a", .type = &t_bool, .offset = 0},
	    {.name = "b", .type = &t_bs10, .offset = offsetof(typeof(sv), b)},
	};
	static const struct sen_asn_type seq = {
	    .name = "S", .kind = SEN_ASN_SEQUENCE, .size = sizeof(sv), .members = m, .nmembers = 2};
	enc_expect(&seq, &sv, "d9c0"); /* 1 1011001110 */
	assert_int_equal(dec_hex(&seq, &sd, "d9c0", buf, sizeof(buf)), 2);
	assert_int_equal(sd.b.nbits, 10);
	assert_int_equal(sd.b.data[0], 0xb3);
	assert_int_equal(sd.b.data[1], 0x80); /* pad bits of the copy are zero */

	/* 16.10: fixed > 16 bits: aligned, no length (a 256-bit security key) */
	uint8_t key[32];
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	struct sen_asn_bits kb = {key, 256};
	int len = sen_asn_encode(&t_bs256, &kb, out, sizeof(out));
	assert_int_equal(len, 32);
	assert_memory_equal(out, key, 32);

	/* extensible size: in root 0 + 16 bits unaligned; outside 1 + length + bits */
	struct sen_asn_bits alg = {(const uint8_t *)"\xe0\x00", 16};
	enc_expect(&t_bs16_ext, &alg, "700000"); /* 0 1110000000000000 */
	struct sen_asn_bits alg3 = {(const uint8_t *)"\xe0\x00\x80", 17};
	enc_expect(&t_bs16_ext, &alg3, "8011e00080");
	assert_int_equal(dec_hex(&t_bs16_ext, &d, "8011e00080", buf, sizeof(buf)), 5);
	assert_int_equal(d.nbits, 17);

	/* unconstrained: length in bits */
	struct sen_asn_bits u = {(const uint8_t *)"\xff\xc0", 10};
	enc_expect(&t_bs, &u, "0affc0");
	/* too long for 22..32 */
	struct sen_asn_bits l = {key, 33};
	assert_int_equal(sen_asn_encode(&t_bs_22_32, &l, out, sizeof(out)), -SEN_ERANGE);
}

static void test_char_strings(void **state)
{
	uint8_t buf[64];
	struct sen_asn_octets d;
	/* 30.5.7: ext 0, length 8 in 1..150 (8 bits), aligned (ub*8 >= 16), 8-bit chars */
	enc_expect(&t_ps, &OCT("srsgnb01"), "0380737273676e623031");
	assert_int_equal(dec_hex(&t_ps, &d, "0380737273676e623031", buf, sizeof(buf)), 10);
	assert_int_equal(d.len, 8);
	assert_memory_equal(d.data, "srsgnb01", 8);
	/* not a PrintableString character: refused both ways */
	assert_int_equal(sen_asn_encode(&t_ps, &OCT("a_b"), out, sizeof(out)), -SEN_ERANGE);
	assert_int_equal(dec_hex(&t_ps, &d, "00005f", buf, sizeof(buf)), -SEN_EPROTO);
	/* fixed 2 characters: 2*8 <= 16, no alignment (after a bit of a SEQUENCE: below) */
	enc_expect(&t_ps2, &OCT("AB"), "4142");
	/* VisibleString (SIZE(0..1)): ub*8 < 16, not aligned: length 1 bit then 8 bits */
	enc_expect(&t_vs, &OCT("~"), "bf00");
	assert_int_equal(sen_asn_encode(&t_vs, &OCT("\x7f"), out, sizeof(out)), -SEN_ERANGE);
	/* IA5String unconstrained */
	enc_expect(&t_ia5, &OCT("hi\n"), "0368690a");
	assert_int_equal(dec_hex(&t_ia5, &d, "0180", buf, sizeof(buf)), -SEN_EPROTO);
	/* UTF8String: size constraints are not PER-visible (30.6): plain length + octets */
	enc_expect(&t_utf8, &OCT("\xc3\xa9t\xc3\xa9"), "05c3a974c3a9");
	/* PrintableString beyond the root size (extensible): 1 + unconstrained length */
	char big[151];
	memset(big, 'x', sizeof(big));
	struct sen_asn_octets bo = {(const uint8_t *)big, 151};
	int len = sen_asn_encode(&t_ps, &bo, out, sizeof(out));
	assert_int_equal(len, 1 + 2 + 151);
	assert_int_equal(out[0], 0x80);
	assert_int_equal(out[1], 0x80);
	assert_int_equal(out[2], 151);
	assert_int_equal(sen_asn_decode(&t_ps, &d, out, (size_t)len, &ctx), len);
	assert_int_equal(d.len, 151);
}

/* ---- SEQUENCE, CHOICE, SEQUENCE OF -------------------------------------------------- */

/* Z ::= SEQUENCE { a BOOLEAN, b OCTET STRING (SIZE(0..7)) }, z = {TRUE, '1234'H}:
 * APER A01234 (worked example on the OSS ASN.1 mailing list). */
struct z {
	bool a;
	struct sen_asn_octets b;
};
static const struct sen_asn_member z_m[] = {
    {.name = "a", .type = &t_bool, .offset = offsetof(struct z, a)},
    {.name = "b", .type = &t_os07, .offset = offsetof(struct z, b)},
};
static const struct sen_asn_type t_z = {
    .name = "Z", .kind = SEN_ASN_SEQUENCE, .size = sizeof(struct z), .members = z_m, .nmembers = 2};
static const struct sen_asn_type t_os255 = {.name = "OCTET STRING (SIZE(0..255))",
					    .kind = SEN_ASN_OCTET_STRING,
					    .size = sizeof(struct sen_asn_octets),
					    .max = 255};
static const struct sen_asn_member z2_m[] = {
    {.name = "a", .type = &t_bool, .offset = offsetof(struct z, a)},
    {.name = "b", .type = &t_os255, .offset = offsetof(struct z, b)},
};
static const struct sen_asn_type t_z2 = {.name = "Z2",
					 .kind = SEN_ASN_SEQUENCE,
					 .size = sizeof(struct z),
					 .members = z2_m,
					 .nmembers = 2};

/* T ::= SEQUENCE { a INTEGER (0..7), b BOOLEAN OPTIONAL, c OCTET STRING (SIZE(0..7)), ...,
 *                  d INTEGER (0..255), e BOOLEAN } */
struct tseq {
	uint8_t a;
	bool has_b, b;
	struct sen_asn_octets c;
	bool has_d;
	uint8_t d;
	bool *e;		  /* an extension addition held by pointer */
	sen_asn_raw_exts unknown; /* additions the descriptor does not know (t_tseq_keep) */
};
static const struct sen_asn_member tseq_m[] = {
    {.name = "a", .type = &t_int7, .offset = offsetof(struct tseq, a)},
    {.name = "b",
     .type = &t_bool,
     .offset = offsetof(struct tseq, b),
     .present = SEN_ASN_PRESENT(struct tseq, has_b),
     .flags = SEN_ASN_OPTIONAL},
    {.name = "c", .type = &t_os07, .offset = offsetof(struct tseq, c)},
    {.name = "d",
     .type = &t_u8,
     .offset = offsetof(struct tseq, d),
     .present = SEN_ASN_PRESENT(struct tseq, has_d),
     .flags = SEN_ASN_EXTADD},
    {.name = "e",
     .type = &t_bool,
     .offset = offsetof(struct tseq, e),
     .flags = SEN_ASN_EXTADD | SEN_ASN_PTR},
};
static const struct sen_asn_type t_tseq = {.name = "T",
					   .kind = SEN_ASN_SEQUENCE,
					   .flags = SEN_ASN_EXT,
					   .size = sizeof(struct tseq),
					   .members = tseq_m,
					   .nmembers = 5};
/* The same type as an older peer knows it: no extension additions. */
static const struct sen_asn_type t_tseq_old = {.name = "T(v1)",
					       .kind = SEN_ASN_SEQUENCE,
					       .flags = SEN_ASN_EXT,
					       .size = sizeof(struct tseq),
					       .members = tseq_m,
					       .nmembers = 3};
/* The old type keeping what it does not know, to re-encode it. */
static const struct sen_asn_type t_tseq_keep = {.name = "T(v1, keep)",
						.kind = SEN_ASN_SEQUENCE,
						.flags = SEN_ASN_EXT,
						.size = sizeof(struct tseq),
						.members = tseq_m,
						.nmembers = 3,
						.raw_off = offsetof(struct tseq, unknown) + 1};
/* Only d known, additions kept: e arrives as unknown addition 1. */
static const struct sen_asn_type t_tseq_keep_d = {.name = "T(v2, keep)",
						  .kind = SEN_ASN_SEQUENCE,
						  .flags = SEN_ASN_EXT,
						  .size = sizeof(struct tseq),
						  .members = tseq_m,
						  .nmembers = 4,
						  .raw_off = offsetof(struct tseq, unknown) + 1};

static void test_sequence(void **state)
{
	uint8_t buf[64];
	struct z z = {true, OCT("\x12\x34")}, zd;
	enc_expect(&t_z, &z, "a01234");
	enc_expect(&t_z2, &z, "80021234");
	assert_int_equal(dec_hex(&t_z, &zd, "a01234", buf, sizeof(buf)), 3);
	assert_true(zd.a);
	assert_int_equal(zd.b.len, 2);

	struct tseq v = {.a = 5, .c = OCT("\x12\x34")}, d;
	/* 19.1-19.3: ext 0, bitmap 0, a 101, length 010, pad, octets */
	enc_expect(&t_tseq, &v, "2a1234");
	v.has_b = true, v.b = true;
	/* ext 0, bitmap 1, a 101, b 1, length 010, pad, octets */
	enc_expect(&t_tseq, &v, "6d001234");
	v.has_b = false;
	/* 19.7-19.9: ext 1; the bitmap has one bit per addition of the type, present or not
	   (19.7-19.8): normally small length 2 (0 000001), bits 10; then d as an open type:
	   length 1, INTEGER (0..255) aligned octet 0x80 */
	v.has_d = true, v.d = 0x80;
	enc_expect(&t_tseq, &v, "aa123403000180");
	assert_int_equal(dec_hex(&t_tseq, &d, "aa123403000180", buf, sizeof(buf)), 7);
	assert_true(d.has_d);
	assert_int_equal(d.d, 0x80);
	assert_null(d.e);
	/* a sender whose type has only d sends a one-bit bitmap: still decoded */
	assert_int_equal(dec_hex(&t_tseq, &d, "aa1234010180", buf, sizeof(buf)), 6);
	assert_true(d.has_d);
	assert_int_equal(d.d, 0x80);
	/* both additions: normally small length 2 (0000001), bitmap 11, two open types */
	bool e = true;
	v.e = &e;
	enc_expect(&t_tseq, &v, "aa1234038001800180");
	assert_int_equal(dec_hex(&t_tseq, &d, "aa1234038001800180", buf, sizeof(buf)), 9);
	assert_non_null(d.e);
	assert_true(*d.e);
	/* only e: bitmap 01 */
	v.has_d = false;
	enc_expect(&t_tseq, &v, "aa123402800180");
	/* an old decoder skips the additions it does not know */
	assert_int_equal(dec_hex(&t_tseq_old, &d, "aa1234038001800180", buf, sizeof(buf)), 9);
	assert_int_equal(d.a, 5);
	assert_false(d.has_d);
	/* an old encoder cannot send additions */
	v.has_d = true;
	assert_int_equal(sen_asn_encode(&t_tseq_old, &v, out, sizeof(out)), 3);

	/* an old decoder that keeps unknown additions re-encodes them as they came */
	assert_int_equal(dec_hex(&t_tseq_keep, &d, "aa1234038001800180", buf, sizeof(buf)), 9);
	assert_false(d.has_d);
	assert_int_equal(d.unknown.count, 2);
	assert_int_equal(d.unknown.items[0].index, 0);
	assert_int_equal(d.unknown.items[1].index, 1);
	assert_int_equal(d.unknown.items[1].len, 1);
	assert_int_equal(d.unknown.items[1].data[0], 0x80);
	enc_expect(&t_tseq_keep, &d, "aa1234038001800180");
	/* knowing d, only e is kept (index 1) */
	assert_int_equal(dec_hex(&t_tseq_keep_d, &d, "aa123402800180", buf, sizeof(buf)), 7);
	assert_false(d.has_d);
	assert_int_equal(d.unknown.count, 1);
	assert_int_equal(d.unknown.items[0].index, 1);
	enc_expect(&t_tseq_keep_d, &d, "aa123402800180");
	/* a kept addition must lie beyond the known ones */
	struct sen_asn_raw_ext bad = {.index = 0, .data = (const uint8_t *)"\x80", .len = 1};
	d.unknown.items = &bad;
	d.unknown.count = 1;
	assert_int_equal(sen_asn_encode(&t_tseq_keep_d, &d, out, sizeof(out)), -SEN_EINVAL);
	char why[64];
	assert_int_equal(sen_asn_check(&t_tseq_keep, why, sizeof(why)), 0);
}

/* C ::= CHOICE { x INTEGER (0..3), y BOOLEAN, ..., z OCTET STRING } */
struct cho {
	uint32_t present;
	union {
		uint8_t x;
		bool y;
		struct sen_asn_octets z;
	} u;
	struct sen_asn_octets unknown;
};
static const struct sen_asn_member cho_m[] = {
    {.name = "x", .type = &t_int3, .offset = offsetof(struct cho, u)},
    {.name = "y", .type = &t_bool, .offset = offsetof(struct cho, u)},
    {.name = "z", .type = &t_os, .offset = offsetof(struct cho, u)},
};
static const struct sen_asn_type t_cho = {.name = "C",
					  .kind = SEN_ASN_CHOICE,
					  .flags = SEN_ASN_EXT,
					  .size = sizeof(struct cho),
					  .members = cho_m,
					  .nmembers = 3,
					  .nroot = 2,
					  .index_off = offsetof(struct cho, present),
					  .raw_off = offsetof(struct cho, unknown) + 1};
static const struct sen_asn_type t_cho_old = {.name = "C(v1)",
					      .kind = SEN_ASN_CHOICE,
					      .flags = SEN_ASN_EXT,
					      .size = sizeof(struct cho),
					      .members = cho_m,
					      .nmembers = 2,
					      .nroot = 2,
					      .index_off = offsetof(struct cho, present),
					      .raw_off = offsetof(struct cho, unknown) + 1};

static void test_choice(void **state)
{
	uint8_t buf[64];
	struct cho c = {.present = 0, .u.x = 2}, d;
	enc_expect(&t_cho, &c, "20"); /* 23: ext 0, index 0 (1 bit), 10 */
	c.present = 1, c.u.y = true;
	enc_expect(&t_cho, &c, "60");
	c.present = 2, c.u.z = OCT("\xab");
	/* 23.8: ext 1, normally small index 0, open type (length 2: 01 ab) */
	enc_expect(&t_cho, &c, "800201ab");
	assert_int_equal(dec_hex(&t_cho, &d, "800201ab", buf, sizeof(buf)), 4);
	assert_int_equal(d.present, 2);
	assert_int_equal(d.u.z.len, 1);
	assert_int_equal(d.u.z.data[0], 0xab);
	/* an older decoder keeps the unknown alternative's encoding, and re-encodes it */
	assert_int_equal(dec_hex(&t_cho_old, &d, "800201ab", buf, sizeof(buf)), 4);
	assert_int_equal(d.present, 2);
	assert_int_equal(d.unknown.len, 2);
	enc_expect(&t_cho_old, &d, "800201ab");
	/* a root index outside the root */
	c.present = 7;
	assert_int_equal(sen_asn_encode(&t_cho, &c, out, sizeof(out)), -SEN_EINVAL);
}

static const struct sen_asn_type t_list = {.name = "SEQUENCE (SIZE(1..4)) OF INTEGER(0..255)",
					   .kind = SEN_ASN_SEQUENCE_OF,
					   .size = sizeof(struct sen_asn_list),
					   .min = 1,
					   .max = 4,
					   .elem = &t_u8};
static const struct sen_asn_type t_list_ext = {.name = "SEQUENCE (SIZE(1..2,...)) OF BOOLEAN",
					       .kind = SEN_ASN_SEQUENCE_OF,
					       .size = sizeof(struct sen_asn_list),
					       .min = 1,
					       .max = 2,
					       .elem = &t_bool,
					       .flags = SEN_ASN_EXT};
static const struct sen_asn_type t_list_fixed = {.name = "SEQUENCE (SIZE(3)) OF BOOLEAN",
						 .kind = SEN_ASN_SEQUENCE_OF,
						 .size = sizeof(struct sen_asn_list),
						 .min = 3,
						 .max = 3,
						 .elem = &t_bool};
static const struct sen_asn_type t_list_un = {.name = "SEQUENCE OF BOOLEAN",
					      .kind = SEN_ASN_SEQUENCE_OF,
					      .size = sizeof(struct sen_asn_list),
					      .elem = &t_bool};

static void test_sequence_of(void **state)
{
	uint8_t buf[64];
	uint8_t items[] = {1, 2};
	struct sen_asn_list l = {items, 2}, d;
	enc_expect(&t_list, &l, "400102"); /* 20.6: count 2 in 1..4 (01), pad, 2 octets */
	assert_int_equal(dec_hex(&t_list, &d, "400102", buf, sizeof(buf)), 3);
	assert_int_equal(d.count, 2);
	assert_int_equal(((uint8_t *)d.items)[1], 2);
	l.count = 0;
	assert_int_equal(sen_asn_encode(&t_list, &l, out, sizeof(out)), -SEN_ERANGE);

	bool b[] = {true, false, true};
	struct sen_asn_list bl = {b, 3};
	enc_expect(&t_list_fixed, &bl, "a0");	/* no count: 101 */
	enc_expect(&t_list_ext, &bl, "8003a0"); /* 1, count 3 (aligned octet), 101 */
	bl.count = 2;
	enc_expect(&t_list_ext, &bl, "60"); /* 0, count 2 in 1..2 (1 bit), 10 */
	enc_expect(&t_list_un, &bl, "0280");
	/* count 4 in 1..4 but only 1 element there */
	assert_int_equal(dec_hex(&t_list, &d, "c001", buf, sizeof(buf)), -SEN_EMSGSIZE);
}

/* ---- recursion, huge counts, the arena limit --------------------------------------- */

struct node {
	struct node *next;
};
extern const struct sen_asn_type t_node;
static const struct sen_asn_member node_m[] = {
    {.name = "next",
     .type = &t_node,
     .offset = offsetof(struct node, next),
     .flags = SEN_ASN_OPTIONAL | SEN_ASN_PTR},
};
const struct sen_asn_type t_node = {.name = "Node",
				    .kind = SEN_ASN_SEQUENCE,
				    .size = sizeof(struct node),
				    .members = node_m,
				    .nmembers = 1};

static void test_depth(void **state)
{
	struct node nodes[100];
	for (int i = 0; i < 100; i++)
		nodes[i].next = i < 99 ? &nodes[i + 1] : NULL;
	/* 20 levels: fine both ways */
	nodes[19].next = NULL;
	int len = sen_asn_encode(&t_node, &nodes[0], out, sizeof(out));
	assert_int_equal(len, 3); /* 19 ones and a zero */
	struct node d;
	fresh();
	assert_int_equal(sen_asn_decode(&t_node, &d, out, (size_t)len, &ctx), 3);
	int depth = 1;
	for (struct node *p = d.next; p; p = p->next)
		depth++;
	assert_int_equal(depth, 20);
	/* 100 levels: refused by the encoder; a peer's 100 levels refused by the decoder */
	nodes[19].next = &nodes[20];
	assert_int_equal(sen_asn_encode(&t_node, &nodes[0], out, sizeof(out)), -SEN_EINVAL);
	uint8_t deep[13];
	memset(deep, 0xff, sizeof(deep));
	deep[12] = 0xf0;
	fresh();
	assert_int_equal(sen_asn_decode(&t_node, &d, deep, sizeof(deep), &ctx), -SEN_EPROTO);
	char where[256];
	assert_true(sen_asn_ctx_where(&ctx, where, sizeof(where)) > 0);
	assert_non_null(strstr(where, "Node.next.next"));
}

struct big {
	uint8_t pad[1000];
	bool flag;
};
static const struct sen_asn_member big_m[] = {
    {.name = "flag", .type = &t_bool, .offset = offsetof(struct big, flag)},
};
static const struct sen_asn_type t_big = {.name = "Big",
					  .kind = SEN_ASN_SEQUENCE,
					  .size = sizeof(struct big),
					  .members = big_m,
					  .nmembers = 1};
static const struct sen_asn_type t_big_list = {.name = "SEQUENCE OF Big",
					       .kind = SEN_ASN_SEQUENCE_OF,
					       .size = sizeof(struct sen_asn_list),
					       .elem = &t_big};
static const struct sen_asn_type t_null_list = {.name = "SEQUENCE OF NULL",
						.kind = SEN_ASN_SEQUENCE_OF,
						.size = sizeof(struct sen_asn_list),
						.elem = &t_null};

static void test_hostile_counts(void **state)
{
	struct sen_asn_list d;
	/* 16000 NULLs claimed by a 2-octet message: refused before allocating anything */
	const uint8_t nulls[] = {0xbe, 0x80};
	fresh();
	assert_int_equal(sen_asn_decode(&t_null_list, &d, nulls, 2, &ctx), -SEN_EPROTO);
	assert_int_equal(arena.used, 0);
	/* 64 NULLs are fine */
	const uint8_t few[] = {0x40};
	fresh();
	assert_int_equal(sen_asn_decode(&t_null_list, &d, few, 1, &ctx), 1);
	assert_int_equal(d.count, 64);
	/* 16000 one-bit elements of 1 KB each: the input (2 KB) allows the count, the arena
	   limit (1 MiB) stops the 16 MB allocation */
	size_t n = 2 + 2000;
	uint8_t *in = calloc(1, n);
	in[0] = 0xbe, in[1] = 0x80;
	struct sen_asn_arena small;
	struct sen_asn_ctx c;
	sen_asn_arena_init(&small, NULL, 0, 1 << 20);
	sen_asn_ctx_init(&c, &small, 0);
	assert_int_equal(sen_asn_decode(&t_big_list, &d, in, n, &c), -SEN_ENOMEM);
	assert_true(small.used <= 1 << 20);
	sen_asn_arena_fini(&small);
	free(in);
	/* an IE container count larger than the input can hold */
	/* (covered with the NGAP-shaped types below) */
}

/* ---- fragmented values through the table layer ---------------------------------- */

struct frag {
	bool flag;
	bool has_data;
	struct sen_asn_octets data;
};
static const struct sen_asn_member frag_m[] = {
    {.name = "flag", .type = &t_bool, .offset = offsetof(struct frag, flag)},
    {.name = "data",
     .type = &t_os,
     .offset = offsetof(struct frag, data),
     .present = SEN_ASN_PRESENT(struct frag, has_data),
     .flags = SEN_ASN_EXTADD},
};
static const struct sen_asn_type t_frag = {.name = "Frag",
					   .kind = SEN_ASN_SEQUENCE,
					   .flags = SEN_ASN_EXT,
					   .size = sizeof(struct frag),
					   .members = frag_m,
					   .nmembers = 2};

static void test_fragmented_values(void **state)
{
	size_t sizes[] = {16383, 16384, 65536, 65537, 100000};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k], cap = n + 64;
		uint8_t *src = malloc(n), *enc = malloc(cap);
		for (size_t i = 0; i < n; i++)
			src[i] = (uint8_t)(i ^ (i >> 8));
		struct sen_asn_octets o = {src, (uint32_t)n}, d;
		/* plain OCTET STRING */
		int len = sen_asn_encode(&t_os, &o, enc, cap);
		assert_true(len > (int)n);
		struct sen_asn_arena a;
		struct sen_asn_ctx c;
		sen_asn_arena_init(&a, NULL, 0, 0);
		sen_asn_ctx_init(&c, &a, 0);
		assert_int_equal(sen_asn_decode(&t_os, &d, enc, (size_t)len, &c), len);
		assert_int_equal(d.len, n);
		assert_memory_equal(d.data, src, n);
		/* the same string inside an open type (an extension addition): the open type
		   itself is fragmented and re-assembled before the inner decode */
		struct frag f = {.flag = true, .has_data = true, .data = o}, fd;
		len = sen_asn_encode(&t_frag, &f, enc, cap);
		assert_true(len > (int)n);
		sen_asn_arena_reset(&a);
		assert_int_equal(sen_asn_decode(&t_frag, &fd, enc, (size_t)len, &c), len);
		assert_true(fd.flag && fd.has_data);
		assert_int_equal(fd.data.len, n);
		assert_memory_equal(fd.data.data, src, n);
		/* truncated by one octet */
		sen_asn_arena_reset(&a);
		assert_int_equal(sen_asn_decode(&t_frag, &fd, enc, (size_t)len - 1, &c),
				 -SEN_EMSGSIZE);
		sen_asn_arena_fini(&a);
		free(src);
		free(enc);
	}
	/* BIT STRING of 16K*8+3 bits and SEQUENCE OF 20000 BOOLEANs (fragmented counts) */
	size_t nb = SEN_ASN_16K * 8 + 3;
	uint8_t *bits = calloc(1, nb / 8 + 1), *enc = malloc(nb / 8 + 64);
	for (size_t i = 0; i < nb / 8 + 1; i++)
		bits[i] = (uint8_t)(i * 13);
	bits[nb / 8] &= 0xe0;
	struct sen_asn_bits bs = {bits, (uint32_t)nb}, bd;
	int len = sen_asn_encode(&t_bs, &bs, enc, nb / 8 + 64);
	assert_true(len > 0);
	assert_int_equal(enc[0], 0xc4); /* 4 * 16K bits */
	struct sen_asn_arena a;
	struct sen_asn_ctx c;
	sen_asn_arena_init(&a, NULL, 0, 0);
	sen_asn_ctx_init(&c, &a, 0);
	assert_int_equal(sen_asn_decode(&t_bs, &bd, enc, (size_t)len, &c), len);
	assert_int_equal(bd.nbits, nb);
	assert_memory_equal(bd.data, bits, nb / 8 + 1);
	free(bits);
	free(enc);

	size_t nl = 20000;
	bool *flags = calloc(nl, sizeof(bool));
	for (size_t i = 0; i < nl; i++)
		flags[i] = (i % 3) == 0;
	struct sen_asn_list l = {flags, (uint32_t)nl}, ld;
	enc = malloc(4096);
	len = sen_asn_encode(&t_list_un, &l, enc, 4096);
	/* C1, 16384 bits (2048 octets), then length 3616 = 8e 20, 3616 bits (452 octets) */
	assert_int_equal(len, 1 + 2048 + 2 + 452);
	assert_int_equal(enc[0], 0xc1);
	assert_int_equal(enc[2049], 0x8e);
	assert_int_equal(enc[2050], 0x20);
	sen_asn_arena_reset(&a);
	assert_int_equal(sen_asn_decode(&t_list_un, &ld, enc, (size_t)len, &c), len);
	assert_int_equal(ld.count, nl);
	assert_memory_equal(ld.items, flags, nl);
	sen_asn_arena_fini(&a);
	free(flags);
	free(enc);
}

/* ---- NGAP-shaped: an NG Setup Request through the table layer ----------------------
 *
 * The expected octets are those of srsRAN's NGAP unit tests (ngap_test_messages.h,
 * "ng_setup_request_packed", decoded there by Wireshark as: GlobalRANNodeID globalGNB-ID
 * PLMN 00f110, gNB-ID 00066c/22 bits; RANNodeName "srsgnb01"; SupportedTAList: TAC 7,
 * PLMN 00f110, one slice SST 1; DefaultPagingDRX v256). The descriptors below are a
 * minimal hand-written subset of TS 38.413's ASN.1, enough for this message.
 */
static const char ng_setup_hex[] = "00150033000004001b00080000f11000"
				   "00066c005240 0a0380737273676e6230"
				   "3100660 00d000000000700 00f11000"
				   "0000080015400160";

static const struct sen_asn_type t_crit = {
    .name = "Criticality", .kind = SEN_ASN_ENUMERATED, .size = 4, .nroot = 3};
static const struct sen_asn_type t_ext_container = {.name = "ProtocolExtensionContainer",
						    .kind = SEN_ASN_IE_CONTAINER,
						    .size = 0,
						    .min = 1,
						    .max = 65535};
static const struct sen_asn_type t_sd = {.name = "SD",
					 .kind = SEN_ASN_OCTET_STRING,
					 .size = sizeof(struct sen_asn_octets),
					 .min = 3,
					 .max = 3};
/* iE-Extensions are described (their bit is in the bitmap) but never used here: pointer
   members that stay NULL. */
struct s_nssai_x {
	struct sen_asn_octets sst;
	bool has_sd;
	struct sen_asn_octets sd;
	void *ext;
};
static const struct sen_asn_member s_nssai_mx[] = {
    {.name = "sST", .type = &t_os1, .offset = offsetof(struct s_nssai_x, sst)},
    {.name = "sD",
     .type = &t_sd,
     .offset = offsetof(struct s_nssai_x, sd),
     .present = SEN_ASN_PRESENT(struct s_nssai_x, has_sd),
     .flags = SEN_ASN_OPTIONAL},
    {.name = "iE-Extensions",
     .type = &t_ext_container,
     .offset = offsetof(struct s_nssai_x, ext),
     .flags = SEN_ASN_OPTIONAL | SEN_ASN_PTR},
};
static const struct sen_asn_type t_s_nssai = {.name = "S-NSSAI",
					      .kind = SEN_ASN_SEQUENCE,
					      .flags = SEN_ASN_EXT,
					      .size = sizeof(struct s_nssai_x),
					      .members = s_nssai_mx,
					      .nmembers = 3};

struct slice_item_x {
	struct s_nssai_x s;
	void *ext;
};
static const struct sen_asn_member slice_item_m[] = {
    {.name = "s-NSSAI", .type = &t_s_nssai, .offset = offsetof(struct slice_item_x, s)},
    {.name = "iE-Extensions",
     .type = &t_ext_container,
     .offset = offsetof(struct slice_item_x, ext),
     .flags = SEN_ASN_OPTIONAL | SEN_ASN_PTR},
};
static const struct sen_asn_type t_slice_item = {.name = "SliceSupportItem",
						 .kind = SEN_ASN_SEQUENCE,
						 .flags = SEN_ASN_EXT,
						 .size = sizeof(struct slice_item_x),
						 .members = slice_item_m,
						 .nmembers = 2};
static const struct sen_asn_type t_slice_list = {.name = "SliceSupportList",
						 .kind = SEN_ASN_SEQUENCE_OF,
						 .size = sizeof(struct sen_asn_list),
						 .min = 1,
						 .max = 1024,
						 .elem = &t_slice_item};

struct bplmn_item_x {
	struct sen_asn_octets plmn;
	SEN_ASN_LIST(struct slice_item_x) slices;
	void *ext;
};
static const struct sen_asn_member bplmn_m[] = {
    {.name = "pLMNIdentity", .type = &t_os3, .offset = offsetof(struct bplmn_item_x, plmn)},
    {.name = "tAISliceSupportList",
     .type = &t_slice_list,
     .offset = offsetof(struct bplmn_item_x, slices)},
    {.name = "iE-Extensions",
     .type = &t_ext_container,
     .offset = offsetof(struct bplmn_item_x, ext),
     .flags = SEN_ASN_OPTIONAL | SEN_ASN_PTR},
};
static const struct sen_asn_type t_bplmn_item = {.name = "BroadcastPLMNItem",
						 .kind = SEN_ASN_SEQUENCE,
						 .flags = SEN_ASN_EXT,
						 .size = sizeof(struct bplmn_item_x),
						 .members = bplmn_m,
						 .nmembers = 3};
static const struct sen_asn_type t_bplmn_list = {.name = "BroadcastPLMNList",
						 .kind = SEN_ASN_SEQUENCE_OF,
						 .size = sizeof(struct sen_asn_list),
						 .min = 1,
						 .max = 12,
						 .elem = &t_bplmn_item};

struct ta_item_x {
	struct sen_asn_octets tac;
	SEN_ASN_LIST(struct bplmn_item_x) bplmns;
	void *ext;
};
static const struct sen_asn_member ta_item_m[] = {
    {.name = "tAC", .type = &t_os3, .offset = offsetof(struct ta_item_x, tac)},
    {.name = "broadcastPLMNList",
     .type = &t_bplmn_list,
     .offset = offsetof(struct ta_item_x, bplmns)},
    {.name = "iE-Extensions",
     .type = &t_ext_container,
     .offset = offsetof(struct ta_item_x, ext),
     .flags = SEN_ASN_OPTIONAL | SEN_ASN_PTR},
};
static const struct sen_asn_type t_ta_item = {.name = "SupportedTAItem",
					      .kind = SEN_ASN_SEQUENCE,
					      .flags = SEN_ASN_EXT,
					      .size = sizeof(struct ta_item_x),
					      .members = ta_item_m,
					      .nmembers = 3};
static const struct sen_asn_type t_ta_list = {.name = "SupportedTAList",
					      .kind = SEN_ASN_SEQUENCE_OF,
					      .size = sizeof(struct sen_asn_list),
					      .min = 1,
					      .max = 256,
					      .elem = &t_ta_item};

struct gnb_id_x {
	uint32_t present;
	union {
		struct sen_asn_bits bits;
		struct sen_asn_open ext;
	} u;
};
static const struct sen_asn_type t_single_container = {.name = "ProtocolIE-SingleContainer",
						       .kind = SEN_ASN_OPEN_TYPE,
						       .size = sizeof(struct sen_asn_open)};
static const struct sen_asn_member gnb_id_m[] = {
    {.name = "gNB-ID", .type = &t_bs_22_32, .offset = offsetof(struct gnb_id_x, u)},
    {.name = "choice-Extensions",
     .type = &t_single_container,
     .offset = offsetof(struct gnb_id_x, u)},
};
static const struct sen_asn_type t_gnb_id = {.name = "GNB-ID",
					     .kind = SEN_ASN_CHOICE,
					     .size = sizeof(struct gnb_id_x),
					     .members = gnb_id_m,
					     .nmembers = 2,
					     .nroot = 2,
					     .index_off = offsetof(struct gnb_id_x, present)};

struct global_gnb_id_x {
	struct sen_asn_octets plmn;
	struct gnb_id_x gnb_id;
	void *ext;
};
static const struct sen_asn_member global_gnb_id_m[] = {
    {.name = "pLMNIdentity", .type = &t_os3, .offset = offsetof(struct global_gnb_id_x, plmn)},
    {.name = "gNB-ID", .type = &t_gnb_id, .offset = offsetof(struct global_gnb_id_x, gnb_id)},
    {.name = "iE-Extensions",
     .type = &t_ext_container,
     .offset = offsetof(struct global_gnb_id_x, ext),
     .flags = SEN_ASN_OPTIONAL | SEN_ASN_PTR},
};
static const struct sen_asn_type t_global_gnb_id = {.name = "GlobalGNB-ID",
						    .kind = SEN_ASN_SEQUENCE,
						    .flags = SEN_ASN_EXT,
						    .size = sizeof(struct global_gnb_id_x),
						    .members = global_gnb_id_m,
						    .nmembers = 3};

struct global_ran_node_id_x {
	uint32_t present;
	union {
		struct global_gnb_id_x gnb;
		struct sen_asn_open other;
	} u;
};
static const struct sen_asn_member grnid_m[] = {
    {.name = "globalGNB-ID",
     .type = &t_global_gnb_id,
     .offset = offsetof(struct global_ran_node_id_x, u)},
    /* the other alternatives are not needed here: stand-ins of the right count */
    {.name = "globalNgENB-ID",
     .type = &t_single_container,
     .offset = offsetof(struct global_ran_node_id_x, u)},
    {.name = "globalN3IWF-ID",
     .type = &t_single_container,
     .offset = offsetof(struct global_ran_node_id_x, u)},
    {.name = "choice-Extensions",
     .type = &t_single_container,
     .offset = offsetof(struct global_ran_node_id_x, u)},
};
static const struct sen_asn_type t_grnid = {.name = "GlobalRANNodeID",
					    .kind = SEN_ASN_CHOICE,
					    .size = sizeof(struct global_ran_node_id_x),
					    .members = grnid_m,
					    .nmembers = 4,
					    .nroot = 4,
					    .index_off =
						offsetof(struct global_ran_node_id_x, present)};

static const struct sen_asn_type t_ran_node_name = {.name = "RANNodeName",
						    .kind = SEN_ASN_PRINTABLE_STRING,
						    .size = sizeof(struct sen_asn_octets),
						    .min = 1,
						    .max = 150,
						    .flags = SEN_ASN_EXT};
static const struct sen_asn_type t_paging_drx = {
    .name = "PagingDRX", .kind = SEN_ASN_ENUMERATED, .size = 4, .nroot = 4, .flags = SEN_ASN_EXT};

struct ngsr {
	struct global_ran_node_id_x global_ran_node_id;
	bool has_ran_node_name;
	struct sen_asn_octets ran_node_name;
	SEN_ASN_LIST(struct ta_item_x) supported_ta_list;
	uint32_t default_paging_drx;
	sen_asn_raw_ies unknown;
};
static const struct sen_asn_member ngsr_ies[] = {
    {.name = "GlobalRANNodeID",
     .type = &t_grnid,
     .id = 27,
     .criticality = SEN_ASN_REJECT,
     .offset = offsetof(struct ngsr, global_ran_node_id)},
    {.name = "RANNodeName",
     .type = &t_ran_node_name,
     .id = 82,
     .criticality = SEN_ASN_IGNORE,
     .offset = offsetof(struct ngsr, ran_node_name),
     .flags = SEN_ASN_OPTIONAL,
     .present = SEN_ASN_PRESENT(struct ngsr, has_ran_node_name)},
    {.name = "SupportedTAList",
     .type = &t_ta_list,
     .id = 102,
     .criticality = SEN_ASN_REJECT,
     .offset = offsetof(struct ngsr, supported_ta_list)},
    {.name = "DefaultPagingDRX",
     .type = &t_paging_drx,
     .id = 21,
     .criticality = SEN_ASN_IGNORE,
     .offset = offsetof(struct ngsr, default_paging_drx)},
};
static const struct sen_asn_type t_ngsr_ies = {.name = "protocolIEs",
					       .kind = SEN_ASN_IE_CONTAINER,
					       .size = sizeof(struct ngsr),
					       .min = 0,
					       .max = 65535,
					       .members = ngsr_ies,
					       .nmembers = 4,
					       .raw_off = offsetof(struct ngsr, unknown) + 1};
static const struct sen_asn_member ngsr_m[] = {
    {.name = "protocolIEs", .type = &t_ngsr_ies, .offset = 0},
};
static const struct sen_asn_type t_ngsr = {.name = "NGSetupRequest",
					   .kind = SEN_ASN_SEQUENCE,
					   .flags = SEN_ASN_EXT,
					   .size = sizeof(struct ngsr),
					   .members = ngsr_m,
					   .nmembers = 1};

static const struct sen_asn_keyed init_table[] = {
    {21, &t_ngsr},
};
struct init_msg {
	uint8_t procedure_code;
	uint32_t criticality;
	struct sen_asn_open value;
};
static const struct sen_asn_type t_init_value = {.name = "value",
						 .kind = SEN_ASN_OPEN_TYPE,
						 .size = sizeof(struct sen_asn_open),
						 .resolve = sen_asn_resolve_key,
						 .table = init_table,
						 .ntable = 1,
						 .key_off =
						     offsetof(struct init_msg, procedure_code),
						 .key_size = 1};
static const struct sen_asn_member init_m[] = {
    {.name = "procedureCode", .type = &t_u8, .offset = offsetof(struct init_msg, procedure_code)},
    {.name = "criticality", .type = &t_crit, .offset = offsetof(struct init_msg, criticality)},
    {.name = "value", .type = &t_init_value, .offset = offsetof(struct init_msg, value)},
};
static const struct sen_asn_type t_init = {.name = "InitiatingMessage",
					   .kind = SEN_ASN_SEQUENCE,
					   .size = sizeof(struct init_msg),
					   .members = init_m,
					   .nmembers = 3};
struct pdu {
	uint32_t present;
	struct init_msg msg;
};
static const struct sen_asn_member pdu_m[] = {
    {.name = "initiatingMessage", .type = &t_init, .offset = offsetof(struct pdu, msg)},
    {.name = "successfulOutcome", .type = &t_init, .offset = offsetof(struct pdu, msg)},
    {.name = "unsuccessfulOutcome", .type = &t_init, .offset = offsetof(struct pdu, msg)},
};
static const struct sen_asn_type t_pdu = {.name = "NGAP-PDU",
					  .kind = SEN_ASN_CHOICE,
					  .flags = SEN_ASN_EXT,
					  .size = sizeof(struct pdu),
					  .members = pdu_m,
					  .nmembers = 3,
					  .nroot = 3,
					  .index_off = offsetof(struct pdu, present)};

static size_t ng_setup_bytes(uint8_t *buf, size_t cap)
{
	char clean[256];
	size_t j = 0;
	for (const char *p = ng_setup_hex; *p; p++)
		if (*p != ' ')
			clean[j++] = *p;
	clean[j] = 0;
	int n = sen_hex_decode(clean, buf, cap);
	assert_int_equal(n, 55);
	return (size_t)n;
}

static void build_ng_setup(struct pdu *p, struct ngsr *m, struct ta_item_x *ta,
			   struct bplmn_item_x *bp, struct slice_item_x *sl)
{
	memset(p, 0, sizeof(*p));
	memset(m, 0, sizeof(*m));
	memset(ta, 0, sizeof(*ta));
	memset(bp, 0, sizeof(*bp));
	memset(sl, 0, sizeof(*sl));
	sl->s.sst = OCT("\x01");
	bp->plmn = OCT("\x00\xf1\x10");
	bp->slices.items = sl;
	bp->slices.count = 1;
	ta->tac = OCT("\x00\x00\x07");
	ta->bplmns.items = bp;
	ta->bplmns.count = 1;
	m->global_ran_node_id.present = 0;
	m->global_ran_node_id.u.gnb.plmn = OCT("\x00\xf1\x10");
	m->global_ran_node_id.u.gnb.gnb_id.present = 0;
	m->global_ran_node_id.u.gnb.gnb_id.u.bits =
	    (struct sen_asn_bits){(const uint8_t *)"\x00\x06\x6c", 22};
	m->has_ran_node_name = true;
	m->ran_node_name = OCT("srsgnb01");
	m->supported_ta_list.items = ta;
	m->supported_ta_list.count = 1;
	m->default_paging_drx = 3; /* v256 */
	p->present = 0;
	p->msg.procedure_code = 21;
	p->msg.criticality = SEN_ASN_REJECT;
	p->msg.value.value = m; /* type found by the resolver from procedureCode */
}

static void test_ngap_ng_setup(void **state)
{
	char why[128];
	struct pdu p, d;
	struct ngsr m;
	struct ta_item_x ta;
	struct bplmn_item_x bp;
	struct slice_item_x sl;
	uint8_t want[64];
	size_t n = ng_setup_bytes(want, sizeof(want));

	assert_int_equal(sen_asn_check(&t_pdu, why, sizeof(why)), 0);
	build_ng_setup(&p, &m, &ta, &bp, &sl);
	int len = sen_asn_encode(&t_pdu, &p, out, sizeof(out));
	assert_int_equal(len, (int)n);
	assert_memory_equal(out, want, n);

	fresh();
	assert_int_equal(sen_asn_decode(&t_pdu, &d, want, n, &ctx), (int)n);
	assert_int_equal(ctx.ndiag, 0);
	assert_int_equal(d.present, 0);
	assert_int_equal(d.msg.procedure_code, 21);
	assert_ptr_equal(d.msg.value.type, &t_ngsr);
	const struct ngsr *dm = d.msg.value.value;
	assert_int_equal(dm->global_ran_node_id.u.gnb.gnb_id.u.bits.nbits, 22);
	assert_memory_equal(dm->global_ran_node_id.u.gnb.gnb_id.u.bits.data, "\x00\x06\x6c", 3);
	assert_true(dm->has_ran_node_name);
	assert_int_equal(dm->ran_node_name.len, 8);
	assert_memory_equal(dm->ran_node_name.data, "srsgnb01", 8);
	assert_int_equal(dm->supported_ta_list.count, 1);
	const struct ta_item_x *dt = &dm->supported_ta_list.items[0];
	assert_memory_equal(dt->tac.data, "\x00\x00\x07", 3);
	assert_int_equal(dt->bplmns.items[0].slices.count, 1);
	assert_int_equal(dt->bplmns.items[0].slices.items[0].s.sst.data[0], 1);
	assert_false(dt->bplmns.items[0].slices.items[0].s.has_sd);
	assert_int_equal(dm->default_paging_drx, 3);
	/* decoded, then encoded again: the same octets */
	d.msg.value.type = NULL; /* let the resolver pick it again */
	assert_int_equal(sen_asn_encode(&t_pdu, &d, out, sizeof(out)), (int)n);
	assert_memory_equal(out, want, n);

	/* without RANNodeName: 3 IEs */
	m.has_ran_node_name = false;
	len = sen_asn_encode(&t_pdu, &p, out, sizeof(out));
	assert_int_equal(len, (int)n - 14);
	assert_int_equal(out[6], 3);
}

static void test_ngap_truncation_and_corruption(void **state)
{
	uint8_t want[64];
	size_t n = ng_setup_bytes(want, sizeof(want));
	struct pdu d;

	/* every prefix is an error (the outer open type says 0x33 octets) */
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, want, cut);
		fresh();
		int rc = sen_asn_decode(&t_pdu, &d, copy, cut, &ctx);
		assert_true(rc < 0);
		free(copy);
	}
	/* the inner encodings truncated as well: shrink the IE value lengths */
	uint8_t bad[64];
	memcpy(bad, want, n);
	bad[10] = 0x07; /* GlobalRANNodeID value 8 -> 7 octets */
	fresh();
	assert_int_equal(sen_asn_decode(&t_pdu, &d, bad, n, &ctx), -SEN_EMSGSIZE);
	char where[256];
	sen_asn_ctx_where(&ctx, where, sizeof(where));
	assert_non_null(strstr(where, "GlobalRANNodeID(id 27)"));
	assert_non_null(strstr(where, "NGAP-PDU"));

	/* random corruption: any result is fine, a crash or an overread is not (run under
	   ASan/valgrind to see the latter) */
	srand(1);
	for (int it = 0; it < 20000; it++) {
		memcpy(bad, want, n);
		int flips = 1 + rand() % 4;
		for (int f = 0; f < flips; f++)
			bad[rand() % n] ^= (uint8_t)(1u << (rand() % 8));
		size_t len = n - (size_t)(rand() % 3);
		uint8_t *copy = malloc(len);
		memcpy(copy, bad, len);
		fresh();
		int rc = sen_asn_decode(&t_pdu, &d, copy, len, &ctx);
		if (rc >= 0) { /* what decodes must encode again */
			d.msg.value.type = NULL;
			(void)sen_asn_encode(&t_pdu, &d, out, sizeof(out));
		}
		free(copy);
	}
}

static void test_ngap_criticality(void **state)
{
	uint8_t want[64];
	size_t n = ng_setup_bytes(want, sizeof(want));
	uint8_t msg[80];
	struct pdu d;

	/* add an unknown IE (id 999, reject, value 2 octets) at the end: the outer length
	   grows by 6, the IE count to 5 */
	memcpy(msg, want, n);
	memcpy(msg + n, "\x03\xe7\x00\x02\xab\xcd", 6);
	msg[3] += 6;
	msg[6] = 5;
	fresh();
	assert_int_equal(sen_asn_decode(&t_pdu, &d, msg, n + 6, &ctx), (int)n + 6);
	assert_int_equal(ctx.ndiag, 1);
	assert_int_equal(ctx.diag[0].id, 999);
	assert_int_equal(ctx.diag[0].kind, SEN_ASN_NOT_UNDERSTOOD);
	assert_int_equal(ctx.diag[0].criticality, SEN_ASN_REJECT);
	assert_ptr_equal(ctx.diag[0].container, &t_ngsr_ies);
	assert_true(sen_asn_ctx_must_reject(&ctx));
	const struct ngsr *dm = d.msg.value.value;
	assert_int_equal(dm->unknown.count, 1);
	assert_int_equal(dm->unknown.items[0].len, 2);
	/* kept unknown IEs are sent again, after the known ones */
	d.msg.value.type = NULL;
	assert_int_equal(sen_asn_encode(&t_pdu, &d, out, sizeof(out)), (int)n + 6);
	assert_memory_equal(out, msg, n + 6);

	/* the same with criticality ignore: not a reason to reject */
	msg[n + 2] = 0x40;
	fresh();
	assert_int_equal(sen_asn_decode(&t_pdu, &d, msg, n + 6, &ctx), (int)n + 6);
	assert_false(sen_asn_ctx_must_reject(&ctx));

	/* DefaultPagingDRX repeated instead: a duplicate, the first one is kept */
	memcpy(msg, want, n);
	memcpy(msg + n, "\x00\x15\x40\x01\x20", 5);
	msg[3] += 5;
	msg[6] = 5;
	fresh();
	assert_int_equal(sen_asn_decode(&t_pdu, &d, msg, n + 5, &ctx), (int)n + 5);
	assert_int_equal(ctx.ndiag, 1);
	assert_int_equal(ctx.diag[0].kind, SEN_ASN_DUPLICATE);
	dm = d.msg.value.value;
	assert_int_equal(dm->default_paging_drx, 3);

	/* SupportedTAList (mandatory, reject) missing: drop the 3rd IE (17 octets) */
	memcpy(msg, want, 33);
	memcpy(msg + 33, want + 50, n - 50);
	msg[3] -= 17;
	msg[6] = 3;
	fresh();
	assert_int_equal(sen_asn_decode(&t_pdu, &d, msg, n - 17, &ctx), (int)n - 17);
	assert_int_equal(ctx.ndiag, 1);
	assert_int_equal(ctx.diag[0].kind, SEN_ASN_MISSING);
	assert_int_equal(ctx.diag[0].id, 102);
	assert_true(sen_asn_ctx_must_reject(&ctx));

	/* an IE count the input cannot hold */
	memcpy(msg, want, n);
	msg[5] = 0xff;
	fresh();
	assert_int_equal(sen_asn_decode(&t_pdu, &d, msg, n, &ctx), -SEN_EPROTO);

	/* an unknown procedure code: the value is kept as octets, nothing decoded */
	memcpy(msg, want, n);
	msg[1] = 99;
	fresh();
	assert_int_equal(sen_asn_decode(&t_pdu, &d, msg, n, &ctx), (int)n);
	assert_null(d.msg.value.type);
	assert_null(d.msg.value.value);
	assert_int_equal(d.msg.value.len, 0x33);
	assert_ptr_equal(d.msg.value.data, msg + 4);
	assert_int_equal(sen_asn_encode(&t_pdu, &d, out, sizeof(out)), (int)n);
	assert_memory_equal(out, msg, n);
}

/* The Downlink NAS Transport PDU in UERANSIM's test script (mts/decoder.py):
 * AMF-UE-NGAP-ID 12, RAN-UE-NGAP-ID 1, NAS-PDU 7e00446f. */
struct dl_nas {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	struct sen_asn_octets nas_pdu;
};
static const struct sen_asn_type t_ran_id = {.name = "RAN-UE-NGAP-ID",
					     .kind = SEN_ASN_INTEGER,
					     .size = 4,
					     .flags = SEN_ASN_HAS_LB | SEN_ASN_HAS_UB,
					     .lb = 0,
					     .ub = 4294967295LL};
static const struct sen_asn_member dl_nas_ies[] = {
    {.name = "AMF-UE-NGAP-ID",
     .type = &t_amf_id,
     .id = 10,
     .criticality = SEN_ASN_REJECT,
     .offset = offsetof(struct dl_nas, amf_ue_ngap_id)},
    {.name = "RAN-UE-NGAP-ID",
     .type = &t_ran_id,
     .id = 85,
     .criticality = SEN_ASN_REJECT,
     .offset = offsetof(struct dl_nas, ran_ue_ngap_id)},
    {.name = "NAS-PDU",
     .type = &t_os,
     .id = 38,
     .criticality = SEN_ASN_REJECT,
     .offset = offsetof(struct dl_nas, nas_pdu)},
};
static const struct sen_asn_type t_dl_nas_ies = {.name = "protocolIEs",
						 .kind = SEN_ASN_IE_CONTAINER,
						 .size = sizeof(struct dl_nas),
						 .max = 65535,
						 .members = dl_nas_ies,
						 .nmembers = 3};
static const struct sen_asn_member dl_nas_m[] = {
    {.name = "protocolIEs", .type = &t_dl_nas_ies, .offset = 0},
};
static const struct sen_asn_type t_dl_nas = {.name = "DownlinkNASTransport",
					     .kind = SEN_ASN_SEQUENCE,
					     .flags = SEN_ASN_EXT,
					     .size = sizeof(struct dl_nas),
					     .members = dl_nas_m,
					     .nmembers = 1};
static const struct sen_asn_keyed dl_table[] = {{4, &t_dl_nas}};
static const struct sen_asn_type t_dl_value = {.name = "value",
					       .kind = SEN_ASN_OPEN_TYPE,
					       .size = sizeof(struct sen_asn_open),
					       .resolve = sen_asn_resolve_key,
					       .table = dl_table,
					       .ntable = 1,
					       .key_off = offsetof(struct init_msg, procedure_code),
					       .key_size = 1};
static const struct sen_asn_member dl_init_m[] = {
    {.name = "procedureCode", .type = &t_u8, .offset = offsetof(struct init_msg, procedure_code)},
    {.name = "criticality", .type = &t_crit, .offset = offsetof(struct init_msg, criticality)},
    {.name = "value", .type = &t_dl_value, .offset = offsetof(struct init_msg, value)},
};
static const struct sen_asn_type t_dl_init = {.name = "InitiatingMessage",
					      .kind = SEN_ASN_SEQUENCE,
					      .size = sizeof(struct init_msg),
					      .members = dl_init_m,
					      .nmembers = 3};

static const struct sen_asn_member dl_pdu_m[] = {
    {.name = "initiatingMessage", .type = &t_dl_init, .offset = offsetof(struct pdu, msg)},
    {.name = "successfulOutcome", .type = &t_dl_init, .offset = offsetof(struct pdu, msg)},
    {.name = "unsuccessfulOutcome", .type = &t_dl_init, .offset = offsetof(struct pdu, msg)},
};
static const struct sen_asn_type t_dl_pdu = {.name = "NGAP-PDU",
					     .kind = SEN_ASN_CHOICE,
					     .flags = SEN_ASN_EXT,
					     .size = sizeof(struct pdu),
					     .members = dl_pdu_m,
					     .nmembers = 3,
					     .nroot = 3,
					     .index_off = offsetof(struct pdu, present)};

static void test_ngap_dl_nas(void **state)
{
	uint8_t buf[64];
	struct pdu p;
	struct init_msg *d = &p.msg;
	int n = dec_hex(&t_dl_pdu, &p, "00044018000003000A0002000C00550002000100260005047E00446F",
			buf, sizeof(buf));
	if (n < 0) {
		char where[256];
		sen_asn_ctx_where(&ctx, where, sizeof(where));
		fail_msg("decode: %d at %s", n, where);
	}
	assert_int_equal(n, 28);
	assert_int_equal(d->procedure_code, 4);
	assert_int_equal(d->criticality, SEN_ASN_IGNORE);
	const struct dl_nas *m = d->value.value;
	assert_non_null(m);
	assert_true(m->amf_ue_ngap_id == 12);
	assert_int_equal(m->ran_ue_ngap_id, 1);
	assert_int_equal(m->nas_pdu.len, 4);
	assert_memory_equal(m->nas_pdu.data, "\x7e\x00\x44\x6f", 4);
	d->value.type = NULL;
	assert_int_equal(sen_asn_encode(&t_dl_pdu, &p, out, sizeof(out)), 28);
	assert_memory_equal(out, buf, 28);
	/* a RAN-UE-NGAP-ID of 4 octets uses the 2-bit count 11 (X.691 11.5.7.4) */
	struct dl_nas v = *m;
	v.ran_ue_ngap_id = 0x12345678;
	d->value.value = &v;
	int len = sen_asn_encode(&t_dl_pdu, &p, out, sizeof(out));
	assert_int_equal(len, 31);
	assert_memory_equal(out + 13, "\x00\x55\x00\x05\xc0\x12\x34\x56\x78", 9);
}

static void test_check(void **state)
{
	char why[128];
	assert_int_equal(sen_asn_check(&t_tseq, why, sizeof(why)), 0);
	assert_int_equal(sen_asn_check(&t_cho, why, sizeof(why)), 0);
	assert_int_equal(sen_asn_check(&t_node, why, sizeof(why)), 0);
	assert_int_equal(sen_asn_check(&t_dl_pdu, why, sizeof(why)), 0);
	static const struct sen_asn_type bad_int = {.name = "Bad",
						    .kind = SEN_ASN_INTEGER,
						    .size = 1,
						    .flags = SEN_ASN_HAS_LB | SEN_ASN_HAS_UB,
						    .lb = 0,
						    .ub = 256};
	assert_int_equal(sen_asn_check(&bad_int, why, sizeof(why)), -SEN_EINVAL);
	assert_non_null(strstr(why, "Bad"));
	static const struct sen_asn_member opt_m[] = {
	    {.name = "x", .type = &t_bool, .flags = SEN_ASN_OPTIONAL},
	};
	static const struct sen_asn_type bad_seq = {
	    .name = "NoFlag", .kind = SEN_ASN_SEQUENCE, .size = 1, .members = opt_m, .nmembers = 1};
	assert_int_equal(sen_asn_check(&bad_seq, why, sizeof(why)), -SEN_EINVAL);
	static const struct sen_asn_member dup_m[] = {
	    {.name = "a", .type = &t_bool, .id = 5},
	    {.name = "b", .type = &t_bool, .id = 5},
	};
	static const struct sen_asn_type bad_ies = {.name = "DupIds",
						    .kind = SEN_ASN_IE_CONTAINER,
						    .size = 2,
						    .max = 65535,
						    .members = dup_m,
						    .nmembers = 2};
	assert_int_equal(sen_asn_check(&bad_ies, why, sizeof(why)), -SEN_EINVAL);
	assert_non_null(strstr(why, "twice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integer),
	    cmocka_unit_test(test_enumerated_boolean_null),
	    cmocka_unit_test(test_octet_string),
	    cmocka_unit_test(test_bit_string),
	    cmocka_unit_test(test_char_strings),
	    cmocka_unit_test(test_sequence),
	    cmocka_unit_test(test_choice),
	    cmocka_unit_test(test_sequence_of),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_hostile_counts),
	    cmocka_unit_test(test_fragmented_values),
	    cmocka_unit_test(test_ngap_ng_setup),
	    cmocka_unit_test(test_ngap_truncation_and_corruption),
	    cmocka_unit_test(test_ngap_criticality),
	    cmocka_unit_test(test_ngap_dl_nas),
	    cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests_name("asn-codec", tests, setup, teardown);
}
