/*
 * Sample NGAP PDUs and transfers with realistic contents (one per modelled message), for
 * the unit tests, the tshark oracle (test-ngap --dump) and the benchmark. The key values
 * the oracle compares are the SAMPLE_* constants below.
 */
#ifndef SEN_TESTS_NGAP_SAMPLES_H
#define SEN_TESTS_NGAP_SAMPLES_H

#include "ngap/ngap.h"

#define SAMPLE_AMF_UE_NGAP_ID 4294967301ULL /* > 32 bits: exercises the 5-octet form */
#define SAMPLE_RAN_UE_NGAP_ID 1001u
#define SAMPLE_TEID_UL "\x00\x00\x12\x34"
#define SAMPLE_TEID_DL "\xab\xcd\x00\x01"
#define SAMPLE_NAS_HEX "7e004171000d010011000000000099898877f71001002e04804080402f020101"

struct ngap_sample {
	const char *name;
	struct sen_ngap_pdu pdu;
};

struct ngap_transfer_sample {
	const char *name;
	const struct sen_asn_type *type;
	const void *value;
};

/* Build every sample (static storage; call once). Returns the count. */
int ngap_samples(const struct ngap_sample **out);
int ngap_transfer_samples(const struct ngap_transfer_sample **out);

#endif
