/*
 * sen-upf: the user plane function as an NF module (src/common/nf.h), so that the
 * `sen-upf` daemon and `sen-core` run the same code. N4 PFCP toward the SMF (TS 29.244),
 * N3 GTP-U toward gNBs (TS 29.281), N6 through a TUN device. docs/upf.md describes it.
 */
#ifndef SEN_UPF_UPF_H
#define SEN_UPF_UPF_H

#include "nf.h"

/* The UPF module: reads the `upf` section of sen.yaml (name "upf"). */
extern const struct sen_nf_module sen_upf_module;

#endif
