/*
 * sen-smf: the session management function (TS 23.501 6.2.2; docs/smf.md). Nsmf_PDUSession
 * (TS 29.502) towards the AMF, Nudm-SDM towards the UDM, N4 PFCP (TS 29.244) towards the
 * UPFs; UE IPv4 pools per DNN.
 */
#ifndef SEN_SMF_SMF_H
#define SEN_SMF_SMF_H

#include "nf.h"

extern const struct sen_nf_module sen_smf_module;

#endif
