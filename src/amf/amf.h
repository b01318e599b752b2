/*
 * sen-amf: the Access and Mobility Management Function as a Sen NF module (src/common/nf.h).
 * N2 (NGAP over SCTP, TS 38.413 / 38.412), N1 (NAS-5GS, TS 24.501), and the AMF's SBI
 * client towards the AUSF and the UDM. See docs/amf.md.
 */
#ifndef SEN_AMF_AMF_H
#define SEN_AMF_AMF_H

#include "nf.h"

extern const struct sen_nf_module sen_amf_module;

#endif
