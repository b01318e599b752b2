/*
 * Unit tests for lib/asn/per: APER bit I/O and the X.691 clause 11 encodings, checked
 * against hand-computed bit patterns (each test names its clause), round trips at range
 * boundaries, fragmented lengths, and truncated input at every position.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "asn/per.h"
#include "core/err.h"
#include "core/hex.h"

static uint8_t out[256];

/* Compare what w wrote with the hex string. */
static void expect_hex(const struct sen_asn_wr *w, const char *hex)
{
	uint8_t want[128];
	int n = sen_hex_decode(hex, want, sizeof(want));
	assert_true(n >= 0);
	char got[2 * 256 + 1];
	sen_hex_encode(w->buf, sen_asn_wr_len(w), got);
	if ((size_t)n != sen_asn_wr_len(w) || memcmp(w->buf, want, (size_t)n) != 0)
		fail_msg("encoded %s, expected %s", got, hex);
}

static void wr(struct sen_asn_wr *w)
{
	memset(out, 0xee, sizeof(out)); /* the writer must not depend on a zeroed buffer */
	sen_asn_wr_init(w, out, sizeof(out));
}

static void test_bits(void **state)
{
	struct sen_asn_wr w;
	struct sen_asn_rd r;
	uint64_t v;

	wr(&w);
	assert_int_equal(sen_asn_put_bits(&w, 1, 1), 0);
	assert_int_equal(sen_asn_put_bits(&w, 0x5, 3), 0);
	assert_int_equal(sen_asn_put_bits(&w, 0xabcd, 16), 0);
	assert_int_equal(sen_asn_put_bits(&w, 0x123456789abcdef0ull, 64), 0);
	assert_int_equal(w.bit, 84);
	/* 1 101 | 1010 1011 1100 1101 | 64 bits ... */
	expect_hex(&w, "dabcd123456789abcdef00");
	sen_asn_rd_init(&r, out, sen_asn_wr_len(&w));
	assert_int_equal(sen_asn_get_bits(&r, 1, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(sen_asn_get_bits(&r, 3, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(sen_asn_get_bits(&r, 16, &v), 0);
	assert_int_equal(v, 0xabcd);
	assert_int_equal(sen_asn_get_bits(&r, 64, &v), 0);
	assert_true(v == 0x123456789abcdef0ull);
	assert_int_equal(sen_asn_get_bits(&r, 4, &v), 0);
	assert_int_equal(sen_asn_get_bits(&r, 1, &v), -SEN_EMSGSIZE);
	assert_int_equal(sen_asn_get_bits(&r, 65, &v), -SEN_EINVAL);

	/* unaligned octets and bit strings */
	wr(&w);
	sen_asn_put_bits(&w, 0, 3);
	const uint8_t o[] = {0xff, 0x81};
	assert_int_equal(sen_asn_put_octets(&w, o, 2), 0);
	assert_int_equal(sen_asn_put_bitstr(&w, o, 10), 0);
	/* 000 11111111 10000001 1111111110 -> 0001 1111 | 1111 0000 | 0011 1111 | 1111 0... */
	expect_hex(&w, "1ff03ff0");
	sen_asn_rd_init(&r, out, 4);
	uint8_t b[2];
	assert_int_equal(sen_asn_get_skip(&r, 3), 0);
	assert_int_equal(sen_asn_get_octets(&r, b, 2), 0);
	assert_memory_equal(b, o, 2);
	assert_int_equal(sen_asn_get_bitstr(&r, b, 10), 0);
	assert_int_equal(b[0], 0xff);
	assert_int_equal(b[1], 0x80);

	/* capacity */
	uint8_t small[2];
	sen_asn_wr_init(&w, small, 2);
	assert_int_equal(sen_asn_put_bits(&w, 0, 16), 0);
	assert_int_equal(sen_asn_put_bits(&w, 0, 1), -SEN_EMSGSIZE);
	sen_asn_wr_init(&w, small, 2);
	sen_asn_put_bits(&w, 0, 1);
	assert_int_equal(sen_asn_put_octets(&w, o, 2), -SEN_EMSGSIZE);
}

/* X.691 11.5.7 constrained whole numbers, ALIGNED variant: every range case. */
static void test_constrained_patterns(void **state)
{
	struct sen_asn_wr w;

	/* 11.5.4: range 1 -> no bits */
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, 7, 7, 7), 0);
	assert_int_equal(w.bit, 0);

	/* 11.5.7.1 range <= 255: minimum bit-field, not aligned. '1' then 3 in 0..7 = 011 */
	wr(&w);
	sen_asn_put_bits(&w, 1, 1);
	assert_int_equal(sen_asn_put_constrained(&w, 3, 0, 7), 0);
	expect_hex(&w, "b0");
	/* range 255 (0..254) is still a bit-field of 8 bits, unaligned: 1 11111110 */
	wr(&w);
	sen_asn_put_bits(&w, 1, 1);
	assert_int_equal(sen_asn_put_constrained(&w, 254, 0, 254), 0);
	assert_int_equal(w.bit, 9);
	expect_hex(&w, "ff00");
	/* range 2 -> 1 bit; negative lb */
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, -4, -5, -4), 0);
	assert_int_equal(w.bit, 1);
	expect_hex(&w, "80");

	/* 11.5.7.2 range 256: one octet, octet-aligned */
	wr(&w);
	sen_asn_put_bits(&w, 1, 1);
	assert_int_equal(sen_asn_put_constrained(&w, 0x5a, 0, 255), 0);
	expect_hex(&w, "805a");
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, 127, -128, 127), 0);
	expect_hex(&w, "ff");

	/* 11.5.7.3 257 <= range <= 64K: two octets, aligned */
	wr(&w);
	sen_asn_put_bits(&w, 1, 1);
	assert_int_equal(sen_asn_put_constrained(&w, 0x1234, 0, 65535), 0);
	expect_hex(&w, "801234");
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, 256, 0, 256), 0); /* range 257 */
	expect_hex(&w, "0100");

	/* 11.5.7.4 range > 64K: octet count as constrained whole number 1..octets(ub-lb) in
	   a bit-field, then the octets, aligned. 0..4294967295: count in 2 bits. */
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, 1, 0, 4294967295LL), 0);
	expect_hex(&w, "0001");
	wr(&w);
	sen_asn_put_bits(&w, 1, 1);
	assert_int_equal(sen_asn_put_constrained(&w, 0x12345678, 0, 4294967295LL), 0);
	expect_hex(&w, "e012345678"); /* 1 11(4 octets) pad */
	/* 0..2^40-1 (NGAP AMF-UE-NGAP-ID): count in 3 bits */
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, 12, 0, 1099511627775LL), 0);
	expect_hex(&w, "000c");
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, 0x0102030405LL, 0, 1099511627775LL), 0);
	expect_hex(&w, "800102030405"); /* 100 (5 octets) */
	/* 0..65536 (range 65537): 3 octets at most -> 2 bits */
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, 65536, 0, 65536), 0);
	expect_hex(&w, "80010000");
	/* full 64-bit range */
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, INT64_MAX, INT64_MIN, INT64_MAX), 0);
	expect_hex(&w, "e0ffffffffffffffff"); /* 111 (8 octets) */

	/* out of range */
	wr(&w);
	assert_int_equal(sen_asn_put_constrained(&w, 8, 0, 7), -SEN_ERANGE);
	assert_int_equal(sen_asn_put_constrained(&w, -1, 0, 7), -SEN_ERANGE);
	assert_int_equal(sen_asn_put_constrained(&w, 0, 1, 0), -SEN_EINVAL);
}

/* Round trips at the boundaries of each range case. */
static void test_constrained_roundtrip(void **state)
{
	static const int64_t bounds[][2] = {
	    {0, 0},
	    {0, 1},
	    {0, 254},
	    {0, 255},
	    {0, 256},
	    {1, 256},
	    {0, 65535},
	    {0, 65536},
	    {-1, 65535},
	    {0, 4294967295LL},
	    {0, 1099511627775LL},
	    {-1000000, 1000000},
	    {INT64_MIN, INT64_MAX},
	    {5, 300},
	};
	for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		int64_t lb = bounds[i][0], ub = bounds[i][1];
		int64_t vals[] = {lb,	      lb + 1,	  ub - 1,	  ub, lb + 255, lb + 256,
				  lb + 65535, lb + 65536, lb / 2 + ub / 2};
		for (size_t j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
			int64_t v = vals[j], got;
			if (v < lb || v > ub)
				continue;
			struct sen_asn_wr w;
			struct sen_asn_rd r;
			wr(&w);
			sen_asn_put_bits(&w, 1, 3); /* start unaligned */
			assert_int_equal(sen_asn_put_constrained(&w, v, lb, ub), 0);
			sen_asn_put_bits(&w, 5, 3);
			sen_asn_rd_init(&r, out, sen_asn_wr_len(&w));
			uint64_t x;
			assert_int_equal(sen_asn_get_bits(&r, 3, &x), 0);
			assert_int_equal(sen_asn_get_constrained(&r, lb, ub, &got), 0);
			assert_true(got == v);
			assert_int_equal(sen_asn_get_bits(&r, 3, &x), 0);
			assert_int_equal(x, 5);
			/* every shorter input fails, and never reads past its end */
			size_t full = sen_asn_wr_len(&w);
			for (size_t cut = 0; cut + 1 < full; cut++) {
				uint8_t *copy = malloc(cut ? cut : 1);
				memcpy(copy, out, cut);
				sen_asn_rd_init(&r, copy, cut);
				int rc = sen_asn_get_bits(&r, 3, &x);
				if (!rc)
					rc = sen_asn_get_constrained(&r, lb, ub, &got);
				if (!rc)
					rc = sen_asn_get_bits(&r, 3, &x);
				assert_int_equal(rc, -SEN_EMSGSIZE);
				free(copy);
			}
		}
	}
}

static void test_constrained_bad_input(void **state)
{
	struct sen_asn_rd r;
	int64_t v;
	/* 0..5 in 3 bits: 6 and 7 are not values */
	const uint8_t a[] = {0xc0};
	sen_asn_rd_init(&r, a, 1);
	assert_int_equal(sen_asn_get_constrained(&r, 0, 5, &v), -SEN_EPROTO);
	/* 0..65536: count field 11 = 4 octets, but at most 3 are allowed */
	const uint8_t b[] = {0xc0, 0, 0, 0, 1};
	sen_asn_rd_init(&r, b, sizeof(b));
	assert_int_equal(sen_asn_get_constrained(&r, 0, 65536, &v), -SEN_EPROTO);
	/* 0..65536 with value 65537 */
	const uint8_t c[] = {0x80, 0x01, 0x00, 0x01};
	sen_asn_rd_init(&r, c, sizeof(c));
	assert_int_equal(sen_asn_get_constrained(&r, 0, 65536, &v), -SEN_EPROTO);
	/* 0..1000 with 1001 */
	const uint8_t d[] = {0x03, 0xe9};
	sen_asn_rd_init(&r, d, sizeof(d));
	assert_int_equal(sen_asn_get_constrained(&r, 0, 1000, &v), -SEN_EPROTO);
}

/* X.691 11.7 / 11.8, with the values of the OSS Nokalva example "NonNeg ::= INTEGER
 * (0..MAX), 128 encodes as 0180; Regular ::= INTEGER, 128 encodes as 020080". */
static void test_semi_unconstrained(void **state)
{
	struct sen_asn_wr w;
	struct sen_asn_rd r;
	int64_t v;

	wr(&w);
	assert_int_equal(sen_asn_put_semi(&w, 128, 0), 0);
	expect_hex(&w, "0180");
	wr(&w);
	assert_int_equal(sen_asn_put_unconstrained(&w, 128), 0);
	expect_hex(&w, "020080");
	wr(&w);
	assert_int_equal(sen_asn_put_unconstrained(&w, -1), 0);
	expect_hex(&w, "01ff");
	wr(&w);
	assert_int_equal(sen_asn_put_unconstrained(&w, -129), 0);
	expect_hex(&w, "02ff7f");
	wr(&w);
	assert_int_equal(sen_asn_put_unconstrained(&w, 0), 0);
	expect_hex(&w, "0100");
	wr(&w);
	sen_asn_put_bits(&w, 1, 1); /* the length determinant is aligned */
	assert_int_equal(sen_asn_put_semi(&w, -5, -10), 0);
	expect_hex(&w, "800105");
	assert_int_equal(sen_asn_put_semi(&w, -11, -10), -SEN_ERANGE);

	int64_t vals[] = {0,  1,    127,  128,	  255,	     256,	65535,		65536,
			  -1, -128, -129, -32768, INT64_MAX, INT64_MIN, 1099511627775LL};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		wr(&w);
		assert_int_equal(sen_asn_put_unconstrained(&w, vals[i]), 0);
		if (vals[i] >= 0)
			assert_int_equal(sen_asn_put_semi(&w, vals[i], 0), 0);
		assert_int_equal(sen_asn_put_semi(&w, vals[i], INT64_MIN), 0);
		sen_asn_rd_init(&r, out, sen_asn_wr_len(&w));
		assert_int_equal(sen_asn_get_unconstrained(&r, &v), 0);
		assert_true(v == vals[i]);
		if (vals[i] >= 0) {
			assert_int_equal(sen_asn_get_semi(&r, 0, &v), 0);
			assert_true(v == vals[i]);
		}
		assert_int_equal(sen_asn_get_semi(&r, INT64_MIN, &v), 0);
		assert_true(v == vals[i]);
	}
	/* malformed: zero length, 9 octets, overflow of lb + n */
	const uint8_t z[] = {0x00};
	sen_asn_rd_init(&r, z, 1);
	assert_int_equal(sen_asn_get_unconstrained(&r, &v), -SEN_EPROTO);
	const uint8_t nine[] = {9, 1, 2, 3, 4, 5, 6, 7, 8, 9};
	sen_asn_rd_init(&r, nine, sizeof(nine));
	assert_int_equal(sen_asn_get_semi(&r, 0, &v), -SEN_EPROTO);
	const uint8_t big[] = {8, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	sen_asn_rd_init(&r, big, sizeof(big));
	assert_int_equal(sen_asn_get_semi(&r, 1, &v), -SEN_EPROTO);
	sen_asn_rd_init(&r, big, sizeof(big));
	assert_int_equal(sen_asn_get_semi(&r, 0, &v), 0);
	assert_true(v == INT64_MAX);
	const uint8_t trunc[] = {4, 1, 2};
	sen_asn_rd_init(&r, trunc, sizeof(trunc));
	assert_int_equal(sen_asn_get_unconstrained(&r, &v), -SEN_EMSGSIZE);
}

/* X.691 11.6 normally small non-negative whole number and 11.9.3.4 normally small length */
static void test_normally_small(void **state)
{
	struct sen_asn_wr w;
	struct sen_asn_rd r;
	uint64_t v;
	size_t n;

	wr(&w);
	assert_int_equal(sen_asn_put_nsnn(&w, 5), 0); /* 0 000101 */
	expect_hex(&w, "0a");
	wr(&w);
	assert_int_equal(sen_asn_put_nsnn(&w, 63), 0); /* 0 111111 */
	expect_hex(&w, "7e");
	wr(&w);
	assert_int_equal(sen_asn_put_nsnn(&w, 64), 0); /* 1, pad, length 1, 0x40 */
	expect_hex(&w, "800140");
	wr(&w);
	assert_int_equal(sen_asn_put_nsl(&w, 1), 0); /* 0 000000 */
	assert_int_equal(w.bit, 7);
	assert_int_equal(sen_asn_put_nsl(&w, 64), 0); /* 0 111111 */
	expect_hex(&w, "00fc");
	wr(&w);
	assert_int_equal(sen_asn_put_nsl(&w, 65), 0); /* 1, pad, length 65 */
	expect_hex(&w, "8041");
	assert_int_equal(sen_asn_put_nsl(&w, 0), -SEN_ERANGE);

	uint64_t vals[] = {0, 1, 63, 64, 255, 256, 100000, (uint64_t)INT64_MAX};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		wr(&w);
		assert_int_equal(sen_asn_put_nsnn(&w, vals[i]), 0);
		sen_asn_rd_init(&r, out, sen_asn_wr_len(&w));
		assert_int_equal(sen_asn_get_nsnn(&r, &v), 0);
		assert_true(v == vals[i]);
	}
	size_t lens[] = {1, 2, 63, 64, 65, 127, 128, 16383};
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		wr(&w);
		assert_int_equal(sen_asn_put_nsl(&w, lens[i]), 0);
		sen_asn_rd_init(&r, out, sen_asn_wr_len(&w));
		assert_int_equal(sen_asn_get_nsl(&r, &n), 0);
		assert_int_equal(n, lens[i]);
	}
}

/* X.691 11.9 length determinants */
static void test_lengths(void **state)
{
	struct sen_asn_wr w;
	struct sen_asn_rd r;
	size_t n, chunk;
	bool more;

	/* constrained 1..150 after one bit: as in an NGAP RANNodeName of 8 characters */
	wr(&w);
	sen_asn_put_bits(&w, 0, 1);
	assert_int_equal(sen_asn_put_length(&w, 8, 1, 150), 0);
	expect_hex(&w, "0380");
	/* constrained 0..65535: two octets aligned (ub < 64K) */
	wr(&w);
	assert_int_equal(sen_asn_put_length(&w, 4, 0, 65535), 0);
	expect_hex(&w, "0004");
	assert_int_equal(sen_asn_put_length(&w, 4, 0, 65536), -SEN_EINVAL);
	assert_int_equal(sen_asn_put_length(&w, 4, 5, 10), -SEN_ERANGE);
	/* fixed: no bits */
	wr(&w);
	assert_int_equal(sen_asn_put_length(&w, 3, 3, 3), 0);
	assert_int_equal(w.bit, 0);

	/* unconstrained, 11.9.3.6-11.9.3.8 */
	struct {
		size_t n;
		const char *hex;
		size_t chunk;
	} u[] = {
	    {0, "00", 0},	    {1, "01", 1},	    {127, "7f", 127},
	    {128, "8080", 128},	    {16383, "bfff", 16383}, {16384, "c1", 16384},
	    {32768, "c2", 32768},   {65535, "c3", 49152},   {65536, "c4", 65536},
	    {1000000, "c4", 65536},
	};
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		wr(&w);
		sen_asn_put_bits(&w, 1, 1); /* header is aligned */
		assert_int_equal(sen_asn_put_len_frag(&w, u[i].n, &chunk), 0);
		assert_int_equal(chunk, u[i].chunk);
		char want[16] = "80";
		strcat(want, u[i].hex);
		expect_hex(&w, want);
		sen_asn_rd_init(&r, out, sen_asn_wr_len(&w));
		assert_int_equal(sen_asn_get_skip(&r, 1), 0);
		assert_int_equal(sen_asn_get_len_frag(&r, &n, &more), 0);
		assert_int_equal(n, u[i].chunk);
		assert_int_equal(more, u[i].n >= 16384);
	}
	/* fragment headers with m = 0 or m > 4 are malformed */
	const uint8_t bad0[] = {0xc0}, bad5[] = {0xc5};
	sen_asn_rd_init(&r, bad0, 1);
	assert_int_equal(sen_asn_get_len_frag(&r, &n, &more), -SEN_EPROTO);
	sen_asn_rd_init(&r, bad5, 1);
	assert_int_equal(sen_asn_get_len_frag(&r, &n, &more), -SEN_EPROTO);
	const uint8_t two[] = {0x80};
	sen_asn_rd_init(&r, two, 1);
	assert_int_equal(sen_asn_get_len_frag(&r, &n, &more), -SEN_EMSGSIZE);
}

static void *test_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return malloc(n);
}

/* Fragmented octet strings (11.9.3.8): 16384, 65536, 65537, 100000 octets, written both
 * directly and through the in-place open-type fix-up, and read back joined. */
static void test_fragments(void **state)
{
	static const struct {
		size_t n;
		size_t nh;
		size_t hdr[4][2]; /* (offset of a header octet, its value) */
		size_t total;
	} cases[] = {
	    {16384, 2, {{0, 0xc1}, {16385, 0x00}}, 16386},
	    {65536, 2, {{0, 0xc4}, {65537, 0x00}}, 65538},
	    {65537, 2, {{0, 0xc4}, {65537, 0x01}}, 65539},
	    {100000,
	     4,
	     {{0, 0xc4}, {65537, 0xc2}, {65537 + 32769, 0x86}, {65537 + 32770, 0xa0}},
	     100004},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t n = cases[c].n, cap = n + 16;
		uint8_t *src = malloc(n), *a = malloc(cap), *b = malloc(cap);
		for (size_t i = 0; i < n; i++)
			src[i] = (uint8_t)(i * 7 + i / 251);
		struct sen_asn_wr w1, w2;
		sen_asn_wr_init(&w1, a, cap);
		assert_int_equal(sen_asn_put_len_octets(&w1, src, n), 0);
		assert_int_equal(sen_asn_wr_len(&w1), cases[c].total);
		for (size_t h = 0; h < cases[c].nh; h++)
			assert_int_equal(a[cases[c].hdr[h][0]], cases[c].hdr[h][1]);
		/* the same bytes through open_begin / open_end, the contents encoded in place */
		sen_asn_wr_init(&w2, b, cap);
		size_t mark;
		assert_int_equal(sen_asn_put_open_begin(&w2, &mark), 0);
		assert_int_equal(sen_asn_put_octets(&w2, src, n), 0);
		assert_int_equal(sen_asn_put_open_end(&w2, mark), 0);
		assert_int_equal(sen_asn_wr_len(&w2), cases[c].total);
		assert_memory_equal(a, b, cases[c].total);
		/* no room for the headers */
		sen_asn_wr_init(&w2, b, n + 1);
		assert_int_equal(sen_asn_put_open_begin(&w2, &mark), 0);
		assert_int_equal(sen_asn_put_octets(&w2, src, n), 0);
		assert_int_equal(sen_asn_put_open_end(&w2, mark), -SEN_EMSGSIZE);

		/* read back joined */
		struct sen_asn_rd r;
		const uint8_t *p;
		size_t got;
		sen_asn_rd_init(&r, a, cases[c].total);
		assert_int_equal(sen_asn_get_len_octets(&r, &p, &got, test_alloc, NULL), 0);
		assert_int_equal(got, n);
		assert_memory_equal(p, src, n);
		assert_int_equal(sen_asn_rd_left(&r), 0);
		free((void *)p);
		/* without an allocator a fragmented string is refused, not mis-read */
		sen_asn_rd_init(&r, a, cases[c].total);
		assert_int_equal(sen_asn_get_len_octets(&r, &p, &got, NULL, NULL), -SEN_ENOTSUP);
		/* truncated anywhere near a header or at the end */
		size_t cuts[] = {0, 1, 100, 16385, 16386, cases[c].total - 1};
		for (size_t k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
			if (cuts[k] >= cases[c].total)
				continue;
			sen_asn_rd_init(&r, a, cuts[k]);
			assert_int_equal(sen_asn_get_len_octets(&r, &p, &got, test_alloc, NULL),
					 -SEN_EMSGSIZE);
		}
		free(src);
		free(a);
		free(b);
	}
}

/* Open types: small, empty (11.1: one zero octet), 128..16383 (two-octet length). */
static void test_open_small(void **state)
{
	struct sen_asn_wr w;
	size_t mark;

	wr(&w);
	sen_asn_put_bits(&w, 1, 1);
	assert_int_equal(sen_asn_put_open_begin(&w, &mark), 0);
	sen_asn_put_bits(&w, 3, 2);
	assert_int_equal(sen_asn_put_open_end(&w, mark), 0);
	expect_hex(&w, "8001c0");
	wr(&w);
	assert_int_equal(sen_asn_put_open_begin(&w, &mark), 0);
	assert_int_equal(sen_asn_put_open_end(&w, mark), 0);
	expect_hex(&w, "0100");

	uint8_t big[300], buf[310];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	sen_asn_wr_init(&w, buf, sizeof(buf));
	assert_int_equal(sen_asn_put_open_begin(&w, &mark), 0);
	assert_int_equal(sen_asn_put_octets(&w, big, 300), 0);
	assert_int_equal(sen_asn_put_open_end(&w, mark), 0);
	assert_int_equal(sen_asn_wr_len(&w), 302);
	assert_int_equal(buf[0], 0x81);
	assert_int_equal(buf[1], 0x2c);
	assert_memory_equal(buf + 2, big, 300);
}

/* A run of mixed fields; every truncation is an error, never a read past the end. */
static void test_truncation_everywhere(void **state)
{
	struct sen_asn_wr w;
	uint8_t data[64];
	sen_asn_wr_init(&w, data, sizeof(data));
	assert_int_equal(sen_asn_put_bits(&w, 1, 1), 0);
	assert_int_equal(sen_asn_put_constrained(&w, 300, 0, 1000), 0);
	assert_int_equal(sen_asn_put_constrained(&w, 0xabcdef12LL, 0, 4294967295LL), 0);
	assert_int_equal(sen_asn_put_semi(&w, 70000, 0), 0);
	assert_int_equal(sen_asn_put_nsnn(&w, 1000), 0);
	assert_int_equal(sen_asn_put_unconstrained(&w, -77777), 0);
	assert_int_equal(sen_asn_put_len_octets(&w, (const uint8_t *)"hello", 5), 0);
	size_t full = sen_asn_wr_len(&w);

	for (size_t cut = 0; cut <= full; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, data, cut);
		struct sen_asn_rd r;
		sen_asn_rd_init(&r, copy, cut);
		uint64_t b, u;
		int64_t v;
		const uint8_t *p;
		size_t n;
		int rc = sen_asn_get_bits(&r, 1, &b);
		if (!rc)
			rc = sen_asn_get_constrained(&r, 0, 1000, &v);
		if (!rc)
			rc = sen_asn_get_constrained(&r, 0, 4294967295LL, &v);
		if (!rc)
			rc = sen_asn_get_semi(&r, 0, &v);
		if (!rc)
			rc = sen_asn_get_nsnn(&r, &u);
		if (!rc)
			rc = sen_asn_get_unconstrained(&r, &v);
		if (!rc)
			rc = sen_asn_get_len_octets(&r, &p, &n, NULL, NULL);
		if (cut == full) {
			assert_int_equal(rc, 0);
			assert_true(v == -77777);
			assert_memory_equal(p, "hello", 5);
		} else {
			assert_int_equal(rc, -SEN_EMSGSIZE);
		}
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bits),
	    cmocka_unit_test(test_constrained_patterns),
	    cmocka_unit_test(test_constrained_roundtrip),
	    cmocka_unit_test(test_constrained_bad_input),
	    cmocka_unit_test(test_semi_unconstrained),
	    cmocka_unit_test(test_normally_small),
	    cmocka_unit_test(test_lengths),
	    cmocka_unit_test(test_fragments),
	    cmocka_unit_test(test_open_small),
	    cmocka_unit_test(test_truncation_everywhere),
	};
	return cmocka_run_group_tests_name("asn-per", tests, NULL, NULL);
}
