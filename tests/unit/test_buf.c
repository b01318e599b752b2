/*
 * Unit tests for lib/core/buf: every put and get, growth, fixed-capacity overflow,
 * back-patching, sticky errors on overrun, sub-readers, and a walk over every
 * truncation of an encoded structure (the way a hostile peer would cut it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"

static const uint8_t expected_all[] = {
    0xa5,					    /* u8 */
    0x12, 0x34,					    /* u16 */
    0xab, 0xcd, 0xef,				    /* u24 */
    0xde, 0xad, 0xbe, 0xef,			    /* u32 */
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, /* u64 */
    'x',  'y',	'z',				    /* bytes */
    0,	  0,					    /* zeros */
};

static void put_all(struct sen_buf *b)
{
	sen_buf_put_u8(b, 0xa5);
	sen_buf_put_u16(b, 0x1234);
	sen_buf_put_u24(b, 0xffabcdef); /* only the low 24 bits */
	sen_buf_put_u32(b, 0xdeadbeef);
	sen_buf_put_u64(b, 0x0123456789abcdefull);
	sen_buf_put_bytes(b, "xyz", 3);
	sen_buf_put_zeros(b, 2);
}

static void test_put_all(void **state)
{
	struct sen_buf b;

	sen_buf_init(&b);
	assert_int_equal(sen_buf_len(&b), 0);
	assert_null(sen_buf_data(&b)); /* nothing allocated yet */
	put_all(&b);
	assert_int_equal(sen_buf_error(&b), 0);
	assert_int_equal(sen_buf_len(&b), sizeof(expected_all));
	assert_memory_equal(sen_buf_data(&b), expected_all, sizeof(expected_all));

	/* 0-byte puts succeed and change nothing, even with a NULL source. */
	sen_buf_put_bytes(&b, NULL, 0);
	sen_buf_put_zeros(&b, 0);
	assert_int_equal(sen_buf_len(&b), sizeof(expected_all));
	assert_int_equal(sen_buf_error(&b), 0);

	sen_buf_reset(&b);
	assert_int_equal(sen_buf_len(&b), 0);
	sen_buf_put_u16(&b, 0xbeef);
	assert_int_equal(sen_buf_data(&b)[0], 0xbe);
	sen_buf_free(&b);
	assert_null(sen_buf_data(&b));
	assert_int_equal(sen_buf_len(&b), 0);
}

static void test_get_all(void **state)
{
	struct sen_buf_reader r;
	uint8_t xyz[3];

	sen_buf_reader_init(&r, expected_all, sizeof(expected_all));
	assert_int_equal(sen_buf_left(&r), sizeof(expected_all));
	assert_int_equal(sen_buf_peek_u8(&r), 0xa5);
	assert_int_equal(sen_buf_pos(&r), 0);
	assert_int_equal(sen_buf_get_u8(&r), 0xa5);
	assert_int_equal(sen_buf_get_u16(&r), 0x1234);
	assert_int_equal(sen_buf_get_u24(&r), 0xabcdef);
	assert_int_equal(sen_buf_get_u32(&r), 0xdeadbeef);
	assert_int_equal(sen_buf_get_u64(&r), 0x0123456789abcdefull);
	sen_buf_get_bytes(&r, xyz, 3);
	assert_memory_equal(xyz, "xyz", 3);
	assert_int_equal(sen_buf_left(&r), 2);
	sen_buf_skip(&r, 2);
	assert_int_equal(sen_buf_left(&r), 0);
	assert_int_equal(sen_buf_pos(&r), sizeof(expected_all));
	assert_int_equal(sen_buf_reader_error(&r), 0);

	/* Zero-length reads at the end are fine. */
	assert_non_null(sen_buf_get_ptr(&r, 0));
	sen_buf_get_bytes(&r, NULL, 0);
	sen_buf_skip(&r, 0);
	assert_int_equal(sen_buf_reader_error(&r), 0);

	/* A reader over nothing. */
	sen_buf_reader_init(&r, NULL, 0);
	assert_non_null(sen_buf_get_ptr(&r, 0));
	assert_int_equal(sen_buf_reader_error(&r), 0);
	assert_int_equal(sen_buf_get_u8(&r), 0);
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);
}

static void test_roundtrip_values(void **state)
{
	static const uint64_t values[] = {
	    0,	     1,	       0x7f,	  0x80,	      0xff,	      0x100,	 0xffff,
	    0x10000, 0xffffff, 0x1000000, 0xffffffff, 0x100000000ull, UINT64_MAX};
	struct sen_buf b;
	struct sen_buf_reader r;

	sen_buf_init(&b);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		sen_buf_put_u8(&b, (uint8_t)values[i]);
		sen_buf_put_u16(&b, (uint16_t)values[i]);
		sen_buf_put_u24(&b, (uint32_t)values[i]);
		sen_buf_put_u32(&b, (uint32_t)values[i]);
		sen_buf_put_u64(&b, values[i]);
	}
	assert_int_equal(sen_buf_error(&b), 0);
	sen_buf_reader_init(&r, sen_buf_data(&b), sen_buf_len(&b));
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		assert_int_equal(sen_buf_get_u8(&r), values[i] & 0xff);
		assert_int_equal(sen_buf_get_u16(&r), values[i] & 0xffff);
		assert_int_equal(sen_buf_get_u24(&r), values[i] & 0xffffff);
		assert_int_equal(sen_buf_get_u32(&r), values[i] & 0xffffffff);
		assert_int_equal(sen_buf_get_u64(&r), values[i]);
	}
	assert_int_equal(sen_buf_left(&r), 0);
	assert_int_equal(sen_buf_reader_error(&r), 0);
	sen_buf_free(&b);
}

static void test_growth(void **state)
{
	struct sen_buf b;
	size_t len;
	uint8_t *p;

	sen_buf_init(&b);
	for (uint32_t i = 0; i < 100000; i++)
		sen_buf_put_u32(&b, i);
	assert_int_equal(sen_buf_error(&b), 0);
	assert_int_equal(sen_buf_len(&b), 400000);
	for (uint32_t i = 0; i < 100000; i += 9973) {
		const uint8_t *q = sen_buf_data(&b) + 4 * i;

		assert_int_equal((uint32_t)q[0] << 24 | q[1] << 16 | q[2] << 8 | q[3], i);
	}

	/* reserve then put_space: the space is zeroed and inside the data. */
	assert_int_equal(sen_buf_reserve(&b, 1 << 20), 0);
	p = sen_buf_put_space(&b, 16);
	assert_non_null(p);
	assert_ptr_equal(p, sen_buf_data(&b) + 400000);
	for (int i = 0; i < 16; i++)
		assert_int_equal(p[i], 0);

	/* Detach hands over the memory and leaves an empty buffer. */
	p = sen_buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 400016);
	assert_int_equal(p[7], 1);
	assert_int_equal(sen_buf_len(&b), 0);
	assert_null(sen_buf_data(&b));
	free(p);
	assert_null(sen_buf_detach(&b, &len)); /* empty */

	/* A size that cannot exist fails cleanly and sticks. */
	sen_buf_put_u8(&b, 1);
	assert_int_equal(sen_buf_reserve(&b, SIZE_MAX - 1), -SEN_EMSGSIZE);
	sen_buf_put_u8(&b, 2);
	assert_int_equal(sen_buf_len(&b), 1);
	assert_int_equal(sen_buf_error(&b), -SEN_EMSGSIZE);
	assert_null(sen_buf_detach(&b, &len)); /* in error */
	sen_buf_free(&b);
	assert_int_equal(sen_buf_error(&b), 0);
}

static void test_fixed_overflow(void **state)
{
	uint8_t mem[8 + 4]; /* 4 guard bytes past the capacity given */
	struct sen_buf b;
	size_t len;

	memset(mem, 0xee, sizeof(mem));
	sen_buf_init_fixed(&b, mem, 8);
	sen_buf_put_u32(&b, 0x11223344);
	sen_buf_put_u16(&b, 0x5566);
	assert_int_equal(sen_buf_error(&b), 0);
	assert_ptr_equal(sen_buf_data(&b), mem);
	/* 6 of 8 used: a u32 does not fit; nothing of it is written. */
	sen_buf_put_u32(&b, 0xaabbccdd);
	assert_int_equal(sen_buf_error(&b), -SEN_EMSGSIZE);
	assert_int_equal(sen_buf_len(&b), 6);
	assert_int_equal(mem[6], 0xee);
	/* Sticky: a u8 that would fit is not written either. */
	sen_buf_put_u8(&b, 0x77);
	assert_int_equal(sen_buf_len(&b), 6);
	assert_null(sen_buf_put_space(&b, 1));
	assert_int_equal(sen_buf_reserve(&b, 1), -SEN_EMSGSIZE);
	for (size_t i = 6; i < sizeof(mem); i++)
		assert_int_equal(mem[i], 0xee);
	assert_null(sen_buf_detach(&b, &len)); /* caller memory is never handed out */

	/* Reset clears the error; exactly filling the capacity is fine. */
	sen_buf_reset(&b);
	sen_buf_put_u64(&b, 0x0102030405060708ull);
	assert_int_equal(sen_buf_error(&b), 0);
	assert_int_equal(sen_buf_len(&b), 8);
	sen_buf_put_bytes(&b, "z", 1);
	assert_int_equal(sen_buf_error(&b), -SEN_EMSGSIZE);
	assert_int_equal(mem[8], 0xee);

	/* sen_buf_free on a fixed buffer does not free the caller's memory. */
	sen_buf_free(&b);
	assert_int_equal(sen_buf_len(&b), 0);
	assert_ptr_equal(sen_buf_data(&b), mem);

	/* Zero capacity. */
	sen_buf_init_fixed(&b, NULL, 0);
	sen_buf_put_u8(&b, 1);
	assert_int_equal(sen_buf_error(&b), -SEN_EMSGSIZE);
}

static void test_set_and_fail(void **state)
{
	struct sen_buf b;
	size_t len_at;

	/* A TLV whose length is written after its value. */
	sen_buf_init(&b);
	sen_buf_put_u8(&b, 0x29); /* type */
	len_at = sen_buf_len(&b);
	sen_buf_put_u16(&b, 0); /* length placeholder */
	sen_buf_put_bytes(&b, "hello", 5);
	sen_buf_set_u16(&b, len_at, (uint16_t)(sen_buf_len(&b) - len_at - 2));
	sen_buf_set_u8(&b, 0, 0x2a);
	assert_int_equal(sen_buf_error(&b), 0);
	assert_memory_equal(sen_buf_data(&b), "\x2a\x00\x05hello", 8);
	sen_buf_set_u24(&b, 3, 0x414243);
	sen_buf_set_u32(&b, 4, 0x31323334);
	assert_memory_equal(sen_buf_data(&b),
			    "\x2a\x00\x05"
			    "A1234",
			    8);

	/* Out of what was written: error, nothing changed. */
	sen_buf_set_u32(&b, 5, 0);
	assert_int_equal(sen_buf_error(&b), -SEN_EMSGSIZE);
	assert_memory_equal(sen_buf_data(&b),
			    "\x2a\x00\x05"
			    "A1234",
			    8);
	sen_buf_reset(&b);
	sen_buf_set_u8(&b, SIZE_MAX, 0);
	assert_int_equal(sen_buf_error(&b), -SEN_EMSGSIZE);

	/* An encoder's own error sticks and the first one wins. */
	sen_buf_reset(&b);
	sen_buf_fail(&b, 0);
	assert_int_equal(sen_buf_error(&b), 0);
	sen_buf_fail(&b, -SEN_ERANGE);
	sen_buf_fail(&b, -SEN_EINVAL);
	assert_int_equal(sen_buf_error(&b), -SEN_ERANGE);
	sen_buf_put_u8(&b, 1);
	assert_int_equal(sen_buf_len(&b), 0);
	sen_buf_free(&b);
}

static void test_reader_overrun(void **state)
{
	static const uint8_t data[] = {1, 2, 3, 4, 5};
	struct sen_buf_reader r;
	uint8_t out[8];

	/* Each getter past the end: zero, error, nothing consumed. */
	sen_buf_reader_init(&r, data, 3);
	assert_int_equal(sen_buf_get_u32(&r), 0);
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);
	assert_int_equal(sen_buf_pos(&r), 0);
	assert_int_equal(sen_buf_left(&r), 0);
	/* Sticky: even a read that would fit yields zero now. */
	assert_int_equal(sen_buf_get_u8(&r), 0);
	assert_int_equal(sen_buf_get_u16(&r), 0);

	sen_buf_reader_init(&r, data, 2);
	assert_int_equal(sen_buf_get_u24(&r), 0);
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);

	sen_buf_reader_init(&r, data, 5);
	assert_int_equal(sen_buf_get_u64(&r), 0);
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);

	sen_buf_reader_init(&r, data, 1);
	assert_int_equal(sen_buf_get_u16(&r), 0);
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);

	sen_buf_reader_init(&r, data, 5);
	memset(out, 0x55, sizeof(out));
	sen_buf_get_bytes(&r, out, 6);
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);
	for (int i = 0; i < 6; i++)
		assert_int_equal(out[i], 0); /* zero-filled, not partly copied */
	assert_int_equal(out[6], 0x55);

	sen_buf_reader_init(&r, data, 5);
	assert_null(sen_buf_get_ptr(&r, 6));
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);
	assert_null(sen_buf_get_ptr(&r, 0)); /* in error: no pointer at all */

	/* Huge lengths from hostile input cannot wrap the bounds check. */
	sen_buf_reader_init(&r, data, 5);
	sen_buf_get_u8(&r);
	sen_buf_skip(&r, SIZE_MAX);
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);
	assert_int_equal(sen_buf_pos(&r), 1);
	sen_buf_reader_init(&r, data, 5);
	sen_buf_get_u8(&r);
	assert_null(sen_buf_get_ptr(&r, SIZE_MAX - 1));

	/* peek at the end. */
	sen_buf_reader_init(&r, data, 5);
	sen_buf_skip(&r, 5);
	assert_int_equal(sen_buf_reader_error(&r), 0);
	assert_int_equal(sen_buf_peek_u8(&r), 0);
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);

	/* The decoder's own error. */
	sen_buf_reader_init(&r, data, 5);
	sen_buf_reader_fail(&r, 0);
	assert_int_equal(sen_buf_reader_error(&r), 0);
	sen_buf_reader_fail(&r, -SEN_EPROTO);
	sen_buf_reader_fail(&r, -SEN_EINVAL);
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EPROTO);
	assert_int_equal(sen_buf_get_u8(&r), 0);
}

static void test_sub_reader(void **state)
{
	/* type 1, length 3, value {0xaa, 0xbb, 0xcc}, then a trailing u16. */
	static const uint8_t tlv[] = {1, 3, 0xaa, 0xbb, 0xcc, 0x12, 0x34};
	struct sen_buf_reader r, sub, sub2;

	sen_buf_reader_init(&r, tlv, sizeof(tlv));
	assert_int_equal(sen_buf_get_u8(&r), 1);
	sub = sen_buf_get_sub(&r, sen_buf_get_u8(&r));
	assert_int_equal(sen_buf_left(&sub), 3);
	assert_int_equal(sen_buf_get_u16(&sub), 0xaabb);
	/* The sub-reader cannot read into the parent's next field. */
	assert_int_equal(sen_buf_get_u16(&sub), 0);
	assert_int_equal(sen_buf_reader_error(&sub), -SEN_EMSGSIZE);
	/* … and its error stays its own. */
	assert_int_equal(sen_buf_reader_error(&r), 0);
	assert_int_equal(sen_buf_get_u16(&r), 0x1234);
	assert_int_equal(sen_buf_reader_error(&r), 0);
	sen_buf_reader_fail(&r, sen_buf_reader_error(&sub));
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);

	/* A length field larger than what is left: parent and sub both in error. */
	static const uint8_t lying[] = {1, 200, 0xaa};

	sen_buf_reader_init(&r, lying, sizeof(lying));
	sen_buf_get_u8(&r);
	sub = sen_buf_get_sub(&r, sen_buf_get_u8(&r));
	assert_int_equal(sen_buf_reader_error(&r), -SEN_EMSGSIZE);
	assert_int_equal(sen_buf_reader_error(&sub), -SEN_EMSGSIZE);
	assert_int_equal(sen_buf_left(&sub), 0);
	assert_int_equal(sen_buf_get_u8(&sub), 0);

	/* Nested subs. */
	sen_buf_reader_init(&r, tlv, sizeof(tlv));
	sub = sen_buf_get_sub(&r, 5);
	sen_buf_skip(&sub, 2);
	sub2 = sen_buf_get_sub(&sub, 3);
	assert_int_equal(sen_buf_get_u24(&sub2), 0xaabbcc);
	assert_int_equal(sen_buf_left(&sub), 0);
	assert_int_equal(sen_buf_get_u16(&r), 0x1234);
	assert_int_equal(sen_buf_reader_error(&sub2), 0);
}

/* A toy decoder of the kind NAS/PFCP code will write: read everything, check once. */
struct toy {
	uint8_t type;
	uint16_t id;
	uint8_t name[4];
	uint32_t teid;
};

static int toy_decode(const uint8_t *p, size_t n, struct toy *t)
{
	struct sen_buf_reader r, ie;

	sen_buf_reader_init(&r, p, n);
	t->type = sen_buf_get_u8(&r);
	t->id = sen_buf_get_u16(&r);
	ie = sen_buf_get_sub(&r, sen_buf_get_u8(&r));
	sen_buf_get_bytes(&ie, t->name, sizeof(t->name));
	t->teid = sen_buf_get_u32(&r);
	sen_buf_reader_fail(&r, sen_buf_reader_error(&ie));
	if (!sen_buf_reader_error(&r) && sen_buf_left(&r) != 0)
		sen_buf_reader_fail(&r, -SEN_EPROTO);
	return sen_buf_reader_error(&r);
}

static void test_every_truncation(void **state)
{
	struct sen_buf b;
	struct toy t;

	sen_buf_init(&b);
	sen_buf_put_u8(&b, 7);
	sen_buf_put_u16(&b, 0x0102);
	sen_buf_put_u8(&b, 4);
	sen_buf_put_bytes(&b, "abcd", 4);
	sen_buf_put_u32(&b, 0xcafef00d);
	assert_int_equal(toy_decode(sen_buf_data(&b), sen_buf_len(&b), &t), 0);
	assert_int_equal(t.teid, 0xcafef00d);
	assert_memory_equal(t.name, "abcd", 4);

	/* Every cut (copied to an exact-size heap block, so ASan would see any overread). */
	for (size_t n = 0; n < sen_buf_len(&b); n++) {
		uint8_t *cut = malloc(n ? n : 1);

		assert_non_null(cut);
		memcpy(cut, sen_buf_data(&b), n);
		assert_int_equal(toy_decode(cut, n, &t), -SEN_EMSGSIZE);
		free(cut);
	}
	/* One byte too many. */
	sen_buf_put_u8(&b, 0);
	assert_int_equal(toy_decode(sen_buf_data(&b), sen_buf_len(&b), &t), -SEN_EPROTO);
	/* An inner length that lies (3 instead of 4). */
	sen_buf_data(&b)[3] = 3;
	assert_int_equal(toy_decode(sen_buf_data(&b), sen_buf_len(&b) - 1, &t), -SEN_EMSGSIZE);
	sen_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_put_all),	     cmocka_unit_test(test_get_all),
	    cmocka_unit_test(test_roundtrip_values), cmocka_unit_test(test_growth),
	    cmocka_unit_test(test_fixed_overflow),   cmocka_unit_test(test_set_and_fail),
	    cmocka_unit_test(test_reader_overrun),   cmocka_unit_test(test_sub_reader),
	    cmocka_unit_test(test_every_truncation),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
