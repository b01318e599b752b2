/*
 * ZUC and the 3GPP algorithms 128-EEA3 / 128-EIA3 built on it: ETSI/SAGE 128-EEA3 & 128-EIA3
 * Document 2 (ZUC v1.6, = TS 35.222) and Document 1 (EEA3/EIA3 v1.7, = TS 35.221). They are
 * 128-NEA3 and 128-NIA3 of TS 33.501 D.2.1.4 / D.3.1.4 (TS 33.401 B.1.4 / B.2.4).
 *
 * Speed notes:
 *  - The LFSR over GF(2^31 - 1) (Document 2, 3.2) sums its five terms in 64 bits and folds
 *    twice (2^31 = 1 mod 2^31 - 1); the folds of a non-zero sum never give 0, so the rule
 *    "if s16 = 0 then s16 = 2^31 - 1" holds by construction.
 *  - The LFSR cells are not moved while clocking: 16 rounds are unrolled and round i finds
 *    s_j at a[(i + j) % 16]; after 16 rounds the cells are back in place.
 *  - EIA3 (Document 1, 128-EIA3) XORs the keystream word z_i = KS[i .. i+31] into T for each
 *    message bit i that is 1. For a 32-bit message word m (bits m_0..m_31 from the left)
 *    and the 64 keystream bits W starting at the same position, that is bits 32..63 of the
 *    carry-less product W * m', m' = m bit-reversed: one PCLMULQDQ per message word (the
 *    products are XORed unreduced, T is taken at the end), or without it a 4-bit table on
 *    m per word; never a loop over message bits.
 */
#include "crypto/zuc.h"

#include "crypto/stream_int.h"

#include <openssl/crypto.h>
#include <string.h>

/*
 * Document 2, 3.4 (S-boxes): S0 and S1 as printed there, each entry already shifted to the
 * byte of the 32-bit word it serves: S(x) = (S0, S1, S0, S1) on the bytes of x from the
 * left, so t0[x] = S0[x] << 24, t1[x] = S1[x] << 16, t2[x] = S0[x] << 8, t3[x] = S1[x].
 * Word tables instead of byte tables save the shifts, and one struct needs one base
 * register in position-independent code (measured: both matter).
 */
/* clang-format off */
/* clang-format off */
static const struct {
	uint32_t t0[256], t1[256], t2[256], t3[256];
} zuc_tab = {
	.t0 = {
		0x3e000000, 0x72000000, 0x5b000000, 0x47000000, 0xca000000, 0xe0000000,
		0x00000000, 0x33000000, 0x04000000, 0xd1000000, 0x54000000, 0x98000000,
		0x09000000, 0xb9000000, 0x6d000000, 0xcb000000, 0x7b000000, 0x1b000000,
		0xf9000000, 0x32000000, 0xaf000000, 0x9d000000, 0x6a000000, 0xa5000000,
		0xb8000000, 0x2d000000, 0xfc000000, 0x1d000000, 0x08000000, 0x53000000,
		0x03000000, 0x90000000, 0x4d000000, 0x4e000000, 0x84000000, 0x99000000,
		0xe4000000, 0xce000000, 0xd9000000, 0x91000000, 0xdd000000, 0xb6000000,
		0x85000000, 0x48000000, 0x8b000000, 0x29000000, 0x6e000000, 0xac000000,
		0xcd000000, 0xc1000000, 0xf8000000, 0x1e000000, 0x73000000, 0x43000000,
		0x69000000, 0xc6000000, 0xb5000000, 0xbd000000, 0xfd000000, 0x39000000,
		0x63000000, 0x20000000, 0xd4000000, 0x38000000, 0x76000000, 0x7d000000,
		0xb2000000, 0xa7000000, 0xcf000000, 0xed000000, 0x57000000, 0xc5000000,
		0xf3000000, 0x2c000000, 0xbb000000, 0x14000000, 0x21000000, 0x06000000,
		0x55000000, 0x9b000000, 0xe3000000, 0xef000000, 0x5e000000, 0x31000000,
		0x4f000000, 0x7f000000, 0x5a000000, 0xa4000000, 0x0d000000, 0x82000000,
		0x51000000, 0x49000000, 0x5f000000, 0xba000000, 0x58000000, 0x1c000000,
		0x4a000000, 0x16000000, 0xd5000000, 0x17000000, 0xa8000000, 0x92000000,
		0x24000000, 0x1f000000, 0x8c000000, 0xff000000, 0xd8000000, 0xae000000,
		0x2e000000, 0x01000000, 0xd3000000, 0xad000000, 0x3b000000, 0x4b000000,
		0xda000000, 0x46000000, 0xeb000000, 0xc9000000, 0xde000000, 0x9a000000,
		0x8f000000, 0x87000000, 0xd7000000, 0x3a000000, 0x80000000, 0x6f000000,
		0x2f000000, 0xc8000000, 0xb1000000, 0xb4000000, 0x37000000, 0xf7000000,
		0x0a000000, 0x22000000, 0x13000000, 0x28000000, 0x7c000000, 0xcc000000,
		0x3c000000, 0x89000000, 0xc7000000, 0xc3000000, 0x96000000, 0x56000000,
		0x07000000, 0xbf000000, 0x7e000000, 0xf0000000, 0x0b000000, 0x2b000000,
		0x97000000, 0x52000000, 0x35000000, 0x41000000, 0x79000000, 0x61000000,
		0xa6000000, 0x4c000000, 0x10000000, 0xfe000000, 0xbc000000, 0x26000000,
		0x95000000, 0x88000000, 0x8a000000, 0xb0000000, 0xa3000000, 0xfb000000,
		0xc0000000, 0x18000000, 0x94000000, 0xf2000000, 0xe1000000, 0xe5000000,
		0xe9000000, 0x5d000000, 0xd0000000, 0xdc000000, 0x11000000, 0x66000000,
		0x64000000, 0x5c000000, 0xec000000, 0x59000000, 0x42000000, 0x75000000,
		0x12000000, 0xf5000000, 0x74000000, 0x9c000000, 0xaa000000, 0x23000000,
		0x0e000000, 0x86000000, 0xab000000, 0xbe000000, 0x2a000000, 0x02000000,
		0xe7000000, 0x67000000, 0xe6000000, 0x44000000, 0xa2000000, 0x6c000000,
		0xc2000000, 0x93000000, 0x9f000000, 0xf1000000, 0xf6000000, 0xfa000000,
		0x36000000, 0xd2000000, 0x50000000, 0x68000000, 0x9e000000, 0x62000000,
		0x71000000, 0x15000000, 0x3d000000, 0xd6000000, 0x40000000, 0xc4000000,
		0xe2000000, 0x0f000000, 0x8e000000, 0x83000000, 0x77000000, 0x6b000000,
		0x25000000, 0x05000000, 0x3f000000, 0x0c000000, 0x30000000, 0xea000000,
		0x70000000, 0xb7000000, 0xa1000000, 0xe8000000, 0xa9000000, 0x65000000,
		0x8d000000, 0x27000000, 0x1a000000, 0xdb000000, 0x81000000, 0xb3000000,
		0xa0000000, 0xf4000000, 0x45000000, 0x7a000000, 0x19000000, 0xdf000000,
		0xee000000, 0x78000000, 0x34000000, 0x60000000,
	},
	.t1 = {
		0x00550000, 0x00c20000, 0x00630000, 0x00710000, 0x003b0000, 0x00c80000,
		0x00470000, 0x00860000, 0x009f0000, 0x003c0000, 0x00da0000, 0x005b0000,
		0x00290000, 0x00aa0000, 0x00fd0000, 0x00770000, 0x008c0000, 0x00c50000,
		0x00940000, 0x000c0000, 0x00a60000, 0x001a0000, 0x00130000, 0x00000000,
		0x00e30000, 0x00a80000, 0x00160000, 0x00720000, 0x00400000, 0x00f90000,
		0x00f80000, 0x00420000, 0x00440000, 0x00260000, 0x00680000, 0x00960000,
		0x00810000, 0x00d90000, 0x00450000, 0x003e0000, 0x00100000, 0x00760000,
		0x00c60000, 0x00a70000, 0x008b0000, 0x00390000, 0x00430000, 0x00e10000,
		0x003a0000, 0x00b50000, 0x00560000, 0x002a0000, 0x00c00000, 0x006d0000,
		0x00b30000, 0x00050000, 0x00220000, 0x00660000, 0x00bf0000, 0x00dc0000,
		0x000b0000, 0x00fa0000, 0x00620000, 0x00480000, 0x00dd0000, 0x00200000,
		0x00110000, 0x00060000, 0x00360000, 0x00c90000, 0x00c10000, 0x00cf0000,
		0x00f60000, 0x00270000, 0x00520000, 0x00bb0000, 0x00690000, 0x00f50000,
		0x00d40000, 0x00870000, 0x007f0000, 0x00840000, 0x004c0000, 0x00d20000,
		0x009c0000, 0x00570000, 0x00a40000, 0x00bc0000, 0x004f0000, 0x009a0000,
		0x00df0000, 0x00fe0000, 0x00d60000, 0x008d0000, 0x007a0000, 0x00eb0000,
		0x002b0000, 0x00530000, 0x00d80000, 0x005c0000, 0x00a10000, 0x00140000,
		0x00170000, 0x00fb0000, 0x00230000, 0x00d50000, 0x007d0000, 0x00300000,
		0x00670000, 0x00730000, 0x00080000, 0x00090000, 0x00ee0000, 0x00b70000,
		0x00700000, 0x003f0000, 0x00610000, 0x00b20000, 0x00190000, 0x008e0000,
		0x004e0000, 0x00e50000, 0x004b0000, 0x00930000, 0x008f0000, 0x005d0000,
		0x00db0000, 0x00a90000, 0x00ad0000, 0x00f10000, 0x00ae0000, 0x002e0000,
		0x00cb0000, 0x000d0000, 0x00fc0000, 0x00f40000, 0x002d0000, 0x00460000,
		0x006e0000, 0x001d0000, 0x00970000, 0x00e80000, 0x00d10000, 0x00e90000,
		0x004d0000, 0x00370000, 0x00a50000, 0x00750000, 0x005e0000, 0x00830000,
		0x009e0000, 0x00ab0000, 0x00820000, 0x009d0000, 0x00b90000, 0x001c0000,
		0x00e00000, 0x00cd0000, 0x00490000, 0x00890000, 0x00010000, 0x00b60000,
		0x00bd0000, 0x00580000, 0x00240000, 0x00a20000, 0x005f0000, 0x00380000,
		0x00780000, 0x00990000, 0x00150000, 0x00900000, 0x00500000, 0x00b80000,
		0x00950000, 0x00e40000, 0x00d00000, 0x00910000, 0x00c70000, 0x00ce0000,
		0x00ed0000, 0x000f0000, 0x00b40000, 0x006f0000, 0x00a00000, 0x00cc0000,
		0x00f00000, 0x00020000, 0x004a0000, 0x00790000, 0x00c30000, 0x00de0000,
		0x00a30000, 0x00ef0000, 0x00ea0000, 0x00510000, 0x00e60000, 0x006b0000,
		0x00180000, 0x00ec0000, 0x001b0000, 0x002c0000, 0x00800000, 0x00f70000,
		0x00740000, 0x00e70000, 0x00ff0000, 0x00210000, 0x005a0000, 0x006a0000,
		0x00540000, 0x001e0000, 0x00410000, 0x00310000, 0x00920000, 0x00350000,
		0x00c40000, 0x00330000, 0x00070000, 0x000a0000, 0x00ba0000, 0x007e0000,
		0x000e0000, 0x00340000, 0x00880000, 0x00b10000, 0x00980000, 0x007c0000,
		0x00f30000, 0x003d0000, 0x00600000, 0x006c0000, 0x007b0000, 0x00ca0000,
		0x00d30000, 0x001f0000, 0x00320000, 0x00650000, 0x00040000, 0x00280000,
		0x00640000, 0x00be0000, 0x00850000, 0x009b0000, 0x002f0000, 0x00590000,
		0x008a0000, 0x00d70000, 0x00b00000, 0x00250000, 0x00ac0000, 0x00af0000,
		0x00120000, 0x00030000, 0x00e20000, 0x00f20000,
	},
	.t2 = {
		0x00003e00, 0x00007200, 0x00005b00, 0x00004700, 0x0000ca00, 0x0000e000,
		0x00000000, 0x00003300, 0x00000400, 0x0000d100, 0x00005400, 0x00009800,
		0x00000900, 0x0000b900, 0x00006d00, 0x0000cb00, 0x00007b00, 0x00001b00,
		0x0000f900, 0x00003200, 0x0000af00, 0x00009d00, 0x00006a00, 0x0000a500,
		0x0000b800, 0x00002d00, 0x0000fc00, 0x00001d00, 0x00000800, 0x00005300,
		0x00000300, 0x00009000, 0x00004d00, 0x00004e00, 0x00008400, 0x00009900,
		0x0000e400, 0x0000ce00, 0x0000d900, 0x00009100, 0x0000dd00, 0x0000b600,
		0x00008500, 0x00004800, 0x00008b00, 0x00002900, 0x00006e00, 0x0000ac00,
		0x0000cd00, 0x0000c100, 0x0000f800, 0x00001e00, 0x00007300, 0x00004300,
		0x00006900, 0x0000c600, 0x0000b500, 0x0000bd00, 0x0000fd00, 0x00003900,
		0x00006300, 0x00002000, 0x0000d400, 0x00003800, 0x00007600, 0x00007d00,
		0x0000b200, 0x0000a700, 0x0000cf00, 0x0000ed00, 0x00005700, 0x0000c500,
		0x0000f300, 0x00002c00, 0x0000bb00, 0x00001400, 0x00002100, 0x00000600,
		0x00005500, 0x00009b00, 0x0000e300, 0x0000ef00, 0x00005e00, 0x00003100,
		0x00004f00, 0x00007f00, 0x00005a00, 0x0000a400, 0x00000d00, 0x00008200,
		0x00005100, 0x00004900, 0x00005f00, 0x0000ba00, 0x00005800, 0x00001c00,
		0x00004a00, 0x00001600, 0x0000d500, 0x00001700, 0x0000a800, 0x00009200,
		0x00002400, 0x00001f00, 0x00008c00, 0x0000ff00, 0x0000d800, 0x0000ae00,
		0x00002e00, 0x00000100, 0x0000d300, 0x0000ad00, 0x00003b00, 0x00004b00,
		0x0000da00, 0x00004600, 0x0000eb00, 0x0000c900, 0x0000de00, 0x00009a00,
		0x00008f00, 0x00008700, 0x0000d700, 0x00003a00, 0x00008000, 0x00006f00,
		0x00002f00, 0x0000c800, 0x0000b100, 0x0000b400, 0x00003700, 0x0000f700,
		0x00000a00, 0x00002200, 0x00001300, 0x00002800, 0x00007c00, 0x0000cc00,
		0x00003c00, 0x00008900, 0x0000c700, 0x0000c300, 0x00009600, 0x00005600,
		0x00000700, 0x0000bf00, 0x00007e00, 0x0000f000, 0x00000b00, 0x00002b00,
		0x00009700, 0x00005200, 0x00003500, 0x00004100, 0x00007900, 0x00006100,
		0x0000a600, 0x00004c00, 0x00001000, 0x0000fe00, 0x0000bc00, 0x00002600,
		0x00009500, 0x00008800, 0x00008a00, 0x0000b000, 0x0000a300, 0x0000fb00,
		0x0000c000, 0x00001800, 0x00009400, 0x0000f200, 0x0000e100, 0x0000e500,
		0x0000e900, 0x00005d00, 0x0000d000, 0x0000dc00, 0x00001100, 0x00006600,
		0x00006400, 0x00005c00, 0x0000ec00, 0x00005900, 0x00004200, 0x00007500,
		0x00001200, 0x0000f500, 0x00007400, 0x00009c00, 0x0000aa00, 0x00002300,
		0x00000e00, 0x00008600, 0x0000ab00, 0x0000be00, 0x00002a00, 0x00000200,
		0x0000e700, 0x00006700, 0x0000e600, 0x00004400, 0x0000a200, 0x00006c00,
		0x0000c200, 0x00009300, 0x00009f00, 0x0000f100, 0x0000f600, 0x0000fa00,
		0x00003600, 0x0000d200, 0x00005000, 0x00006800, 0x00009e00, 0x00006200,
		0x00007100, 0x00001500, 0x00003d00, 0x0000d600, 0x00004000, 0x0000c400,
		0x0000e200, 0x00000f00, 0x00008e00, 0x00008300, 0x00007700, 0x00006b00,
		0x00002500, 0x00000500, 0x00003f00, 0x00000c00, 0x00003000, 0x0000ea00,
		0x00007000, 0x0000b700, 0x0000a100, 0x0000e800, 0x0000a900, 0x00006500,
		0x00008d00, 0x00002700, 0x00001a00, 0x0000db00, 0x00008100, 0x0000b300,
		0x0000a000, 0x0000f400, 0x00004500, 0x00007a00, 0x00001900, 0x0000df00,
		0x0000ee00, 0x00007800, 0x00003400, 0x00006000,
	},
	.t3 = {
		0x00000055, 0x000000c2, 0x00000063, 0x00000071, 0x0000003b, 0x000000c8,
		0x00000047, 0x00000086, 0x0000009f, 0x0000003c, 0x000000da, 0x0000005b,
		0x00000029, 0x000000aa, 0x000000fd, 0x00000077, 0x0000008c, 0x000000c5,
		0x00000094, 0x0000000c, 0x000000a6, 0x0000001a, 0x00000013, 0x00000000,
		0x000000e3, 0x000000a8, 0x00000016, 0x00000072, 0x00000040, 0x000000f9,
		0x000000f8, 0x00000042, 0x00000044, 0x00000026, 0x00000068, 0x00000096,
		0x00000081, 0x000000d9, 0x00000045, 0x0000003e, 0x00000010, 0x00000076,
		0x000000c6, 0x000000a7, 0x0000008b, 0x00000039, 0x00000043, 0x000000e1,
		0x0000003a, 0x000000b5, 0x00000056, 0x0000002a, 0x000000c0, 0x0000006d,
		0x000000b3, 0x00000005, 0x00000022, 0x00000066, 0x000000bf, 0x000000dc,
		0x0000000b, 0x000000fa, 0x00000062, 0x00000048, 0x000000dd, 0x00000020,
		0x00000011, 0x00000006, 0x00000036, 0x000000c9, 0x000000c1, 0x000000cf,
		0x000000f6, 0x00000027, 0x00000052, 0x000000bb, 0x00000069, 0x000000f5,
		0x000000d4, 0x00000087, 0x0000007f, 0x00000084, 0x0000004c, 0x000000d2,
		0x0000009c, 0x00000057, 0x000000a4, 0x000000bc, 0x0000004f, 0x0000009a,
		0x000000df, 0x000000fe, 0x000000d6, 0x0000008d, 0x0000007a, 0x000000eb,
		0x0000002b, 0x00000053, 0x000000d8, 0x0000005c, 0x000000a1, 0x00000014,
		0x00000017, 0x000000fb, 0x00000023, 0x000000d5, 0x0000007d, 0x00000030,
		0x00000067, 0x00000073, 0x00000008, 0x00000009, 0x000000ee, 0x000000b7,
		0x00000070, 0x0000003f, 0x00000061, 0x000000b2, 0x00000019, 0x0000008e,
		0x0000004e, 0x000000e5, 0x0000004b, 0x00000093, 0x0000008f, 0x0000005d,
		0x000000db, 0x000000a9, 0x000000ad, 0x000000f1, 0x000000ae, 0x0000002e,
		0x000000cb, 0x0000000d, 0x000000fc, 0x000000f4, 0x0000002d, 0x00000046,
		0x0000006e, 0x0000001d, 0x00000097, 0x000000e8, 0x000000d1, 0x000000e9,
		0x0000004d, 0x00000037, 0x000000a5, 0x00000075, 0x0000005e, 0x00000083,
		0x0000009e, 0x000000ab, 0x00000082, 0x0000009d, 0x000000b9, 0x0000001c,
		0x000000e0, 0x000000cd, 0x00000049, 0x00000089, 0x00000001, 0x000000b6,
		0x000000bd, 0x00000058, 0x00000024, 0x000000a2, 0x0000005f, 0x00000038,
		0x00000078, 0x00000099, 0x00000015, 0x00000090, 0x00000050, 0x000000b8,
		0x00000095, 0x000000e4, 0x000000d0, 0x00000091, 0x000000c7, 0x000000ce,
		0x000000ed, 0x0000000f, 0x000000b4, 0x0000006f, 0x000000a0, 0x000000cc,
		0x000000f0, 0x00000002, 0x0000004a, 0x00000079, 0x000000c3, 0x000000de,
		0x000000a3, 0x000000ef, 0x000000ea, 0x00000051, 0x000000e6, 0x0000006b,
		0x00000018, 0x000000ec, 0x0000001b, 0x0000002c, 0x00000080, 0x000000f7,
		0x00000074, 0x000000e7, 0x000000ff, 0x00000021, 0x0000005a, 0x0000006a,
		0x00000054, 0x0000001e, 0x00000041, 0x00000031, 0x00000092, 0x00000035,
		0x000000c4, 0x00000033, 0x00000007, 0x0000000a, 0x000000ba, 0x0000007e,
		0x0000000e, 0x00000034, 0x00000088, 0x000000b1, 0x00000098, 0x0000007c,
		0x000000f3, 0x0000003d, 0x00000060, 0x0000006c, 0x0000007b, 0x000000ca,
		0x000000d3, 0x0000001f, 0x00000032, 0x00000065, 0x00000004, 0x00000028,
		0x00000064, 0x000000be, 0x00000085, 0x0000009b, 0x0000002f, 0x00000059,
		0x0000008a, 0x000000d7, 0x000000b0, 0x00000025, 0x000000ac, 0x000000af,
		0x00000012, 0x00000003, 0x000000e2, 0x000000f2,
	},
};
/* clang-format on */
/* clang-format on */

/* Document 2, 3.5: the 15-bit constants d_0..d_15 of key loading. */
static const uint32_t zuc_d[16] = {
    0x44d7, 0x26bc, 0x626b, 0x135e, 0x5789, 0x35e2, 0x7135, 0x09af,
    0x4d78, 0x2f13, 0x6bc4, 0x1af1, 0x5e26, 0x3c4d, 0x789a, 0x47ac,
};

static inline uint32_t rol32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

/* Document 2, 3.4: the linear transforms L1 and L2. */
static inline uint32_t zuc_l1(uint32_t x)
{
	return x ^ rol32(x, 2) ^ rol32(x, 10) ^ rol32(x, 18) ^ rol32(x, 24);
}

static inline uint32_t zuc_l2(uint32_t x)
{
	return x ^ rol32(x, 8) ^ rol32(x, 14) ^ rol32(x, 22) ^ rol32(x, 30);
}

/* Document 2, 3.4: S = (S0, S1, S0, S1) on the four bytes, leftmost first. */
static inline uint32_t zuc_s(uint32_t x)
{
	return zuc_tab.t0[x >> 24] | zuc_tab.t1[(x >> 16) & 0xff] | zuc_tab.t2[(x >> 8) & 0xff] |
	       zuc_tab.t3[x & 0xff];
}

/*
 * Document 2, 3.2: s16 = 2^15 s15 + 2^17 s13 + 2^21 s10 + 2^20 s4 + (1 + 2^8) s0 (+ u in
 * the initialisation mode) mod 2^31 - 1.
 */
static inline uint32_t zuc_lfsr(uint32_t s0, uint32_t s4, uint32_t s10, uint32_t s13, uint32_t s15,
				uint32_t u)
{
	uint64_t v = ((uint64_t)s15 << 15) + ((uint64_t)s13 << 17) + ((uint64_t)s10 << 21) +
		     ((uint64_t)s4 << 20) + ((uint64_t)s0 << 8) + s0 + u;

	v = (v & 0x7fffffff) + (v >> 31);
	v = (v & 0x7fffffff) + (v >> 31);
	return (uint32_t)v;
}

/*
 * One round with the cells kept in place (s_j = a[(i + j) % 16]; s16 replaces s0):
 * bit reorganisation (3.3), F (3.4), then the LFSR. The keystream form outputs
 * Z = W ^ X3 and clocks in work mode (3.6, working stage); the initialisation form feeds
 * W >> 1 into the LFSR (3.6, initialization stage).
 */
#define ZA(i, j) a[((i) + (j)) & 15]
#define ZUC_ROUND_W(i)                                                                             \
	uint32_t x0_ = ((ZA(i, 15) & 0x7fff8000) << 1) | (ZA(i, 14) & 0xffff);                     \
	uint32_t x1_ = (ZA(i, 11) << 16) | (ZA(i, 9) >> 15);                                       \
	uint32_t x2_ = (ZA(i, 7) << 16) | (ZA(i, 5) >> 15);                                        \
	uint32_t w_ = (x0_ ^ r1) + r2;                                                             \
	uint32_t w1_ = r1 + x1_;                                                                   \
	uint32_t w2_ = r2 ^ x2_;                                                                   \
	r1 = zuc_s(zuc_l1(w1_ << 16 | w2_ >> 16));                                                 \
	r2 = zuc_s(zuc_l2(w2_ << 16 | w1_ >> 16))

#define ZUC_ROUND_KS(i)                                                                            \
	do {                                                                                       \
		ZUC_ROUND_W(i);                                                                    \
		z[i] = w_ ^ ((ZA(i, 2) << 16) | (ZA(i, 0) >> 15));                                 \
		a[i] = zuc_lfsr(a[i], ZA(i, 4), ZA(i, 10), ZA(i, 13), ZA(i, 15), 0);               \
	} while (0)

#define ZUC_ROUND_INIT(i)                                                                          \
	do {                                                                                       \
		ZUC_ROUND_W(i);                                                                    \
		a[i] = zuc_lfsr(a[i], ZA(i, 4), ZA(i, 10), ZA(i, 13), ZA(i, 15), w_ >> 1);         \
	} while (0)

#define ZUC_16(ROUND)                                                                              \
	ROUND(0);                                                                                  \
	ROUND(1);                                                                                  \
	ROUND(2);                                                                                  \
	ROUND(3);                                                                                  \
	ROUND(4);                                                                                  \
	ROUND(5);                                                                                  \
	ROUND(6);                                                                                  \
	ROUND(7);                                                                                  \
	ROUND(8);                                                                                  \
	ROUND(9);                                                                                  \
	ROUND(10);                                                                                 \
	ROUND(11);                                                                                 \
	ROUND(12);                                                                                 \
	ROUND(13);                                                                                 \
	ROUND(14);                                                                                 \
	ROUND(15)

/*
 * Kept out of line: inlined into sen_zuc_keystream()'s loop, GCC 12 allocates registers
 * worse and the keystream runs ~1.5x slower (measured).
 */
__attribute__((noinline)) static void zuc_ks16(struct sen_zuc *st, uint32_t z[16])
{
	uint32_t a[16], r1 = st->r1, r2 = st->r2;

	memcpy(a, st->s, sizeof(a));
	ZUC_16(ZUC_ROUND_KS);
	memcpy(st->s, a, sizeof(a));
	st->r1 = r1;
	st->r2 = r2;
}

/* One round that moves the cells: i = 0, then shift s1..s15 down and put s16 at s15. */
static uint32_t zuc_ks1(struct sen_zuc *st)
{
	uint32_t *a = st->s, r1 = st->r1, r2 = st->r2, z[1];

	ZUC_ROUND_KS(0);
	uint32_t s16 = a[0];
	memmove(a, a + 1, 15 * sizeof(a[0]));
	a[15] = s16;
	st->r1 = r1;
	st->r2 = r2;
	return z[0];
}

void sen_zuc_init(struct sen_zuc *st, const uint8_t key[16], const uint8_t iv[16])
{
	uint32_t a[16], r1 = 0, r2 = 0;

	/* Document 2, 3.5: s_i = k_i || d_i || iv_i; R1 = R2 = 0. */
	for (int i = 0; i < 16; i++)
		a[i] = (uint32_t)key[i] << 23 | zuc_d[i] << 8 | iv[i];
	/* 3.6, initialization stage: 32 rounds (two unrolled runs of 16). */
	ZUC_16(ZUC_ROUND_INIT);
	ZUC_16(ZUC_ROUND_INIT);
	memcpy(st->s, a, sizeof(a));
	st->r1 = r1;
	st->r2 = r2;
	OPENSSL_cleanse(a, sizeof(a));
	/* 3.6, working stage: one round in work mode whose output is discarded. */
	(void)zuc_ks1(st);
}

void sen_zuc_keystream(struct sen_zuc *st, uint32_t *z, size_t n)
{
	for (; n >= 16; n -= 16, z += 16)
		zuc_ks16(st, z);
	for (; n; n--)
		*z++ = zuc_ks1(st);
}

static void zuc_keystream(void *st, uint32_t *z, size_t n)
{
	sen_zuc_keystream(st, z, n);
}

void sen_zuc_eea3(const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
		  const uint8_t *in, uint8_t *out, size_t len_bits)
{
	struct sen_zuc st;
	uint8_t iv[16];

	/* Document 1, 128-EEA3 initialisation: IV = COUNT || BEARER || DIRECTION || 0^26, twice. */
	sen_store_be32(iv, count);
	iv[4] = (uint8_t)((bearer & 0x1f) << 3 | (dir & 1) << 2);
	iv[5] = iv[6] = iv[7] = 0;
	memcpy(iv + 8, iv, 8);
	sen_zuc_init(&st, key, iv);
	/* 128-EEA3 encryption: C = M ^ keystream, bit by bit, as 32-bit words from the left. */
	sen_stream_crypt(&st, zuc_keystream, in, out, len_bits);
	OPENSSL_cleanse(&st, sizeof(st));
}

/*
 * EIA3 accumulation, portable form: the low 64 bits of the sum over the message bits m_j = 1
 * (j from the left) of W << j, using a table of the 16 nibble values.
 */
static uint64_t eia3_word_generic(uint64_t w, uint32_t m)
{
	uint64_t tab[16], acc = 0;

	tab[0] = 0;
	tab[8] = w;
	tab[4] = w << 1;
	tab[2] = w << 2;
	tab[1] = w << 3;
	for (int i = 3; i < 16; i++)
		if (i & (i - 1))
			tab[i] = tab[i & (i - 1)] ^ tab[i & -i];
	for (int k = 0; k < 8; k++)
		acc ^= tab[(m >> (28 - 4 * k)) & 15] << (4 * k);
	return acc;
}

static uint64_t eia3_words_generic(const uint32_t *kb, const uint8_t *msg, size_t n)
{
	uint64_t acc = 0;

	for (size_t t = 0; t < n; t++)
		acc ^= eia3_word_generic((uint64_t)kb[t] << 32 | kb[t + 1],
					 sen_load_be32(msg + 4 * t));
	return acc;
}

#ifdef SEN_CRYPTO_X86
/* Reverse the bit order inside each byte. */
static inline uint64_t rev8x8(uint64_t x)
{
	x = (x >> 1 & 0x5555555555555555ull) | (x & 0x5555555555555555ull) << 1;
	x = (x >> 2 & 0x3333333333333333ull) | (x & 0x3333333333333333ull) << 2;
	return (x >> 4 & 0x0f0f0f0f0f0f0f0full) | (x & 0x0f0f0f0f0f0f0f0full) << 4;
}

/*
 * PCLMULQDQ form: on x86 (little-endian) 8 message bytes loaded as one 64-bit word, with the
 * bits of every byte reversed, hold the two bit-reversed big-endian message words m'_t (low
 * half) and m'_t+1 (high half).
 */
__attribute__((target("pclmul,sse2"))) static uint64_t
eia3_words_clmul(const uint32_t *kb, const uint8_t *msg, size_t n)
{
	__m128i acc = _mm_setzero_si128();
	size_t t = 0;

	for (; t + 2 <= n; t += 2) {
		uint64_t r;

		memcpy(&r, msg + 4 * t, 8);
		r = rev8x8(r);
		__m128i m = _mm_set_epi64x((long long)(r >> 32), (long long)(r & 0xffffffffu));
		__m128i w = _mm_set_epi64x((long long)((uint64_t)kb[t + 1] << 32 | kb[t + 2]),
					   (long long)((uint64_t)kb[t] << 32 | kb[t + 1]));
		acc = _mm_xor_si128(acc, _mm_clmulepi64_si128(w, m, 0x00));
		acc = _mm_xor_si128(acc, _mm_clmulepi64_si128(w, m, 0x11));
	}
	uint64_t res = (uint64_t)_mm_cvtsi128_si64(acc);
	if (t < n)
		res ^= eia3_word_generic((uint64_t)kb[t] << 32 | kb[t + 1],
					 sen_load_be32(msg + 4 * t));
	return res;
}
#endif

/* EIA3's path: -1 not yet decided, 0 portable, 1 PCLMULQDQ (see stream_int.h). */
static atomic_int zuc_use_clmul = -1;

int sen_zuc_clmul(int on)
{
	return sen_clmul_set(&zuc_use_clmul, on);
}

static uint64_t eia3_words(const uint32_t *kb, const uint8_t *msg, size_t n, int clmul)
{
#ifdef SEN_CRYPTO_X86
	if (clmul)
		return eia3_words_clmul(kb, msg, n);
#endif
	return eia3_words_generic(kb, msg, n);
}

/*
 * EIA3 goes through the message in groups of 16 words and keeps the keystream words
 * K_base .. K_base+17 in kb[]: a group needs K_base .. K_base+16, and what follows the last
 * group (at most 15 whole words, a partial word, z_LENGTH and K_{L-1}) at most K_base+17.
 */
#define EIA3_GROUP 16

uint32_t sen_zuc_eia3(const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
		      const uint8_t *msg, uint32_t len_bits)
{
	struct sen_zuc st;
	uint8_t iv[16];
	uint32_t kb[EIA3_GROUP + 2];
	size_t full = len_bits / 32, base = 0, j;
	/* Document 1, 128-EIA3: L = ceil(LENGTH/32) + 2, in size_t: LENGTH + 31 wraps in 32 bits */
	size_t total = ((size_t)len_bits + 31) / 32 + 2;
	size_t have = total < EIA3_GROUP + 2 ? total : EIA3_GROUP + 2;
	unsigned rem = len_bits % 32;
	int use = sen_clmul_get(&zuc_use_clmul);
	uint64_t acc = 0, win;
	uint32_t t;

	/* 128-EIA3 initialisation: IV from COUNT and BEARER; DIRECTION added to IV bits 64, 112. */
	sen_store_be32(iv, count);
	iv[4] = (uint8_t)((bearer & 0x1f) << 3);
	iv[5] = iv[6] = iv[7] = 0;
	memcpy(iv + 8, iv, 8);
	iv[8] ^= (uint8_t)((dir & 1) << 7);
	iv[14] ^= (uint8_t)((dir & 1) << 7);
	sen_zuc_init(&st, key, iv);
	sen_zuc_keystream(&st, kb, have);

	/* 128-EIA3 MAC: T = XOR of z_i over the message bits i that are 1. */
	while (full - base >= EIA3_GROUP) {
		size_t more = total - have < EIA3_GROUP ? total - have : EIA3_GROUP;

		acc ^= eia3_words(kb, msg + 4 * base, EIA3_GROUP, use);
		base += EIA3_GROUP;
		kb[0] = kb[EIA3_GROUP];
		kb[1] = kb[EIA3_GROUP + 1];
		sen_zuc_keystream(&st, kb + 2, more);
		have += more;
	}
	acc ^= eia3_words(kb, msg + 4 * base, full - base, use);
	j = full - base; /* the word holding bit LENGTH, relative to base */
	win = (uint64_t)kb[j] << 32 | kb[j + 1];
	if (rem) {
		uint8_t last[4] = {0};

		memcpy(last, msg + 4 * full, (rem + 7) / 8);
		acc ^= eia3_word_generic(win, sen_load_be32(last) & ~(0xffffffffu >> rem));
	}
	t = (uint32_t)(acc >> 32);
	t ^= (uint32_t)((win << rem) >> 32); /* T ^= z_LENGTH */
	t ^= kb[total - 1 - base];	     /* MAC = T ^ z_{32(L-1)}, the last keystream word */
	OPENSSL_cleanse(&st, sizeof(st));
	return t;
}
