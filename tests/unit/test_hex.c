/* Unit tests for lib/core hex and error names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"

static void test_roundtrip(void **state)
{
	uint8_t b[4];
	char s[9];

	assert_int_equal(sen_hex_decode("00aBcDeF", b, sizeof(b)), 4);
	assert_int_equal(b[1], 0xab);
	assert_int_equal(b[3], 0xef);
	assert_string_equal(sen_hex_encode(b, 4, s), "00abcdef");
	assert_int_equal(sen_hex_decode("", b, sizeof(b)), 0);
}

static void test_bad_input(void **state)
{
	uint8_t b[2];

	assert_int_equal(sen_hex_decode("abc", b, sizeof(b)), -SEN_EINVAL);
	assert_int_equal(sen_hex_decode("zz", b, sizeof(b)), -SEN_EINVAL);
	assert_int_equal(sen_hex_decode("0x12", b, sizeof(b)), -SEN_EINVAL);
	assert_int_equal(sen_hex_decode("112233", b, sizeof(b)), -SEN_EMSGSIZE);
	assert_int_equal(sen_hex_decode_exact("11", b, 2), -SEN_EMSGSIZE);
	assert_int_equal(sen_hex_decode_exact("1122", b, 2), 0);
	assert_int_equal(sen_hex_decode_exact("11 2", b, 2), -SEN_EINVAL);
}

static void test_strerror(void **state)
{
	assert_string_equal(sen_strerror(-SEN_EAUTH), "integrity check failed");
	assert_string_equal(sen_strerror(SEN_EAUTH), "integrity check failed");
	assert_string_equal(sen_strerror(-9999), "unknown error");
	for (int i = 0; i < SEN_E_MAX; i++)
		assert_true(strcmp(sen_strerror(i), "unknown error") != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests_name("hex", tests, NULL, NULL);
}
