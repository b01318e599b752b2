/*
 * sen-amf unit tests, linked with the AMF library: what the AMF computes without a peer.
 *   - the T3512 a UE is given (GPRS timer 3, TS 24.008 10.5.7.4a) for a configured t3512,
 *     on which the mobile reachable timer is based (TS 24.501 5.3.7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gmm.h"

static void test_t3512_sent(void **state)
{
	static const struct {
		uint32_t cfg, sent;
	} cases[] = {
		{2, 2},		    /* 1 x 2 s */
		{62, 62},	    /* 31 x 2 s */
		{63, 90},	    /* 3 x 30 s: rounded up */
		{3240, 3600},	    /* the default: 54 min -> 6 x 10 min */
		{3600, 3600},	    /* 6 x 10 min (or 1 h) */
		{1860, 1860},	    /* 31 x 1 min */
		{18601, 21600},	    /* 6 x 1 h */
		{35712000, 35712000}, /* 31 x 320 h, the largest */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sen_nas_timer t;
		uint32_t unit_s[8] = {600, 3600, 36000, 2, 30, 60, 1152000, 0};

		assert_int_equal(amf_t3512_sent(cases[i].cfg), cases[i].sent);
		/* and it is what the Registration Accept carries */
		gmm_timer3(cases[i].cfg, &t);
		assert_true(t.value <= 31);
		assert_int_equal(t.value * unit_s[t.unit & 7], cases[i].sent);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_t3512_sent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
