/*
 * SNOW 3G and the 3GPP algorithms UEA2 (f8) and UIA2 (f9) built on it: ETSI/SAGE UEA2 & UIA2
 * Document 2 (SNOW 3G, = TS 35.216) and Document 1 (UEA2/UIA2, = TS 35.215). They are
 * 128-NEA1 and 128-NIA1 of TS 33.501 D.2.1.2 / D.3.1.2 (mapping in TS 33.401 B.1.2 / B.2.2).
 *
 * Speed notes:
 *  - S1 and S2 (Document 2, "S-box S1", "S-box S2") are each one table of 256 32-bit words: the
 *    column that input byte w0 contributes to (r0, r1, r2, r3); bytes w1..w3 contribute the
 *    same column rotated by 8, 16, 24 bits. MULalpha and DIValpha are tables
 *    too, all in one struct (one base register in position-independent code). The
 *    tables below were generated from the algebraic definitions (SR = the AES
 *    S-box; SQ(x) = g49(x) + 0x25, g49 the Dickson polynomial over GF(2^8) defined by
 *    x^8+x^6+x^5+x^3+1; MULx and MULxPOW of Document 2) and checked against the S-box
 *    values printed in Document 2; the test vectors check them again.
 *  - The LFSR words are not moved while clocking: 16 clocks are unrolled and clock i
 *    finds s_j at a[(i + j) % 16]; after 16 clocks the words are back in place.
 *  - UIA2's multiplication in GF(2^64) (Document 1, MUL64) uses PCLMULQDQ when the CPU has it,
 *    else a 4-bit table method (16 steps per 64-bit block, not 64).
 */
#include "crypto/snow3g.h"

#include "crypto/stream_int.h"

#include <openssl/crypto.h>
#include <string.h>

/*
 * Document 2, "S-box S1" / "S-box S2": column tables of S1 (from SR, MULx(., 0x1B)) and S2
 * (from SQ, MULx(., 0x69)); entry x = (MULx(S(x)), MULx(S(x)) ^ S(x), S(x), S(x)).
 */
/* clang-format off */
/* clang-format off */
static const struct {
	uint32_t s1_t[256], s2_t[256], mul_alpha[256], div_alpha[256];
} snow_tab = {
	.s1_t = {
		0xc6a56363, 0xf8847c7c, 0xee997777, 0xf68d7b7b, 0xff0df2f2, 0xd6bd6b6b,
		0xdeb16f6f, 0x9154c5c5, 0x60503030, 0x02030101, 0xcea96767, 0x567d2b2b,
		0xe719fefe, 0xb562d7d7, 0x4de6abab, 0xec9a7676, 0x8f45caca, 0x1f9d8282,
		0x8940c9c9, 0xfa877d7d, 0xef15fafa, 0xb2eb5959, 0x8ec94747, 0xfb0bf0f0,
		0x41ecadad, 0xb367d4d4, 0x5ffda2a2, 0x45eaafaf, 0x23bf9c9c, 0x53f7a4a4,
		0xe4967272, 0x9b5bc0c0, 0x75c2b7b7, 0xe11cfdfd, 0x3dae9393, 0x4c6a2626,
		0x6c5a3636, 0x7e413f3f, 0xf502f7f7, 0x834fcccc, 0x685c3434, 0x51f4a5a5,
		0xd134e5e5, 0xf908f1f1, 0xe2937171, 0xab73d8d8, 0x62533131, 0x2a3f1515,
		0x080c0404, 0x9552c7c7, 0x46652323, 0x9d5ec3c3, 0x30281818, 0x37a19696,
		0x0a0f0505, 0x2fb59a9a, 0x0e090707, 0x24361212, 0x1b9b8080, 0xdf3de2e2,
		0xcd26ebeb, 0x4e692727, 0x7fcdb2b2, 0xea9f7575, 0x121b0909, 0x1d9e8383,
		0x58742c2c, 0x342e1a1a, 0x362d1b1b, 0xdcb26e6e, 0xb4ee5a5a, 0x5bfba0a0,
		0xa4f65252, 0x764d3b3b, 0xb761d6d6, 0x7dceb3b3, 0x527b2929, 0xdd3ee3e3,
		0x5e712f2f, 0x13978484, 0xa6f55353, 0xb968d1d1, 0x00000000, 0xc12ceded,
		0x40602020, 0xe31ffcfc, 0x79c8b1b1, 0xb6ed5b5b, 0xd4be6a6a, 0x8d46cbcb,
		0x67d9bebe, 0x724b3939, 0x94de4a4a, 0x98d44c4c, 0xb0e85858, 0x854acfcf,
		0xbb6bd0d0, 0xc52aefef, 0x4fe5aaaa, 0xed16fbfb, 0x86c54343, 0x9ad74d4d,
		0x66553333, 0x11948585, 0x8acf4545, 0xe910f9f9, 0x04060202, 0xfe817f7f,
		0xa0f05050, 0x78443c3c, 0x25ba9f9f, 0x4be3a8a8, 0xa2f35151, 0x5dfea3a3,
		0x80c04040, 0x058a8f8f, 0x3fad9292, 0x21bc9d9d, 0x70483838, 0xf104f5f5,
		0x63dfbcbc, 0x77c1b6b6, 0xaf75dada, 0x42632121, 0x20301010, 0xe51affff,
		0xfd0ef3f3, 0xbf6dd2d2, 0x814ccdcd, 0x18140c0c, 0x26351313, 0xc32fecec,
		0xbee15f5f, 0x35a29797, 0x88cc4444, 0x2e391717, 0x9357c4c4, 0x55f2a7a7,
		0xfc827e7e, 0x7a473d3d, 0xc8ac6464, 0xbae75d5d, 0x322b1919, 0xe6957373,
		0xc0a06060, 0x19988181, 0x9ed14f4f, 0xa37fdcdc, 0x44662222, 0x547e2a2a,
		0x3bab9090, 0x0b838888, 0x8cca4646, 0xc729eeee, 0x6bd3b8b8, 0x283c1414,
		0xa779dede, 0xbce25e5e, 0x161d0b0b, 0xad76dbdb, 0xdb3be0e0, 0x64563232,
		0x744e3a3a, 0x141e0a0a, 0x92db4949, 0x0c0a0606, 0x486c2424, 0xb8e45c5c,
		0x9f5dc2c2, 0xbd6ed3d3, 0x43efacac, 0xc4a66262, 0x39a89191, 0x31a49595,
		0xd337e4e4, 0xf28b7979, 0xd532e7e7, 0x8b43c8c8, 0x6e593737, 0xdab76d6d,
		0x018c8d8d, 0xb164d5d5, 0x9cd24e4e, 0x49e0a9a9, 0xd8b46c6c, 0xacfa5656,
		0xf307f4f4, 0xcf25eaea, 0xcaaf6565, 0xf48e7a7a, 0x47e9aeae, 0x10180808,
		0x6fd5baba, 0xf0887878, 0x4a6f2525, 0x5c722e2e, 0x38241c1c, 0x57f1a6a6,
		0x73c7b4b4, 0x9751c6c6, 0xcb23e8e8, 0xa17cdddd, 0xe89c7474, 0x3e211f1f,
		0x96dd4b4b, 0x61dcbdbd, 0x0d868b8b, 0x0f858a8a, 0xe0907070, 0x7c423e3e,
		0x71c4b5b5, 0xccaa6666, 0x90d84848, 0x06050303, 0xf701f6f6, 0x1c120e0e,
		0xc2a36161, 0x6a5f3535, 0xaef95757, 0x69d0b9b9, 0x17918686, 0x9958c1c1,
		0x3a271d1d, 0x27b99e9e, 0xd938e1e1, 0xeb13f8f8, 0x2bb39898, 0x22331111,
		0xd2bb6969, 0xa970d9d9, 0x07898e8e, 0x33a79494, 0x2db69b9b, 0x3c221e1e,
		0x15928787, 0xc920e9e9, 0x8749cece, 0xaaff5555, 0x50782828, 0xa57adfdf,
		0x038f8c8c, 0x59f8a1a1, 0x09808989, 0x1a170d0d, 0x65dabfbf, 0xd731e6e6,
		0x84c64242, 0xd0b86868, 0x82c34141, 0x29b09999, 0x5a772d2d, 0x1e110f0f,
		0x7bcbb0b0, 0xa8fc5454, 0x6dd6bbbb, 0x2c3a1616,
	},
	.s2_t = {
		0x4a6f2525, 0x486c2424, 0xe6957373, 0xcea96767, 0xc710d7d7, 0x359baeae,
		0xb8e45c5c, 0x60503030, 0x2185a4a4, 0xb55beeee, 0xdcb26e6e, 0xff34cbcb,
		0xfa877d7d, 0x03b6b5b5, 0x6def8282, 0xdf04dbdb, 0xa145e4e4, 0x75fb8e8e,
		0x90d84848, 0x92db4949, 0x9ed14f4f, 0xbae75d5d, 0xd4be6a6a, 0xf0887878,
		0xe0907070, 0x79f18888, 0xb951e8e8, 0xbee15f5f, 0xbce25e5e, 0x61e58484,
		0xcaaf6565, 0xad4fe2e2, 0xd901d8d8, 0xbb52e9e9, 0xf13dcccc, 0xb35eeded,
		0x80c04040, 0x5e712f2f, 0x22331111, 0x50782828, 0xaef95757, 0xcd1fd2d2,
		0x319dacac, 0xaf4ce3e3, 0x94de4a4a, 0x2a3f1515, 0x362d1b1b, 0x1ba2b9b9,
		0x0dbfb2b2, 0x69e98080, 0x63e68585, 0x2583a6a6, 0x5c722e2e, 0x04060202,
		0x8ec94747, 0x527b2929, 0x0e090707, 0x96dd4b4b, 0x1c120e0e, 0xeb2ac1c1,
		0xa2f35151, 0x3d97aaaa, 0x7bf28989, 0xc115d4d4, 0xfd37caca, 0x02030101,
		0x8cca4646, 0x0fbcb3b3, 0xb758efef, 0xd30edddd, 0x88cc4444, 0xf68d7b7b,
		0xed2fc2c2, 0xfe817f7f, 0x15abbebe, 0xef2cc3c3, 0x57c89f9f, 0x40602020,
		0x98d44c4c, 0xc8ac6464, 0x6fec8383, 0x2d8fa2a2, 0xd0b86868, 0x84c64242,
		0x26351313, 0x01b5b4b4, 0x82c34141, 0xf33ecdcd, 0x1da7baba, 0xe523c6c6,
		0x1fa4bbbb, 0xdab76d6d, 0x9ad74d4d, 0xe2937171, 0x42632121, 0x8175f4f4,
		0x73fe8d8d, 0x09b9b0b0, 0xa346e5e5, 0x4fdc9393, 0x956bfefe, 0x77f88f8f,
		0xa543e6e6, 0xf738cfcf, 0x86c54343, 0x8acf4545, 0x62533131, 0x44662222,
		0x6e593737, 0x6c5a3636, 0x45d39696, 0x9d67fafa, 0x11adbcbc, 0x1e110f0f,
		0x10180808, 0xa4f65252, 0x3a271d1d, 0xaaff5555, 0x342e1a1a, 0xe326c5c5,
		0x9cd24e4e, 0x46652323, 0xd2bb6969, 0xf48e7a7a, 0x4ddf9292, 0x9768ffff,
		0xb6ed5b5b, 0xb4ee5a5a, 0xbf54ebeb, 0x5dc79a9a, 0x38241c1c, 0x3b92a9a9,
		0xcb1ad1d1, 0xfc827e7e, 0x1a170d0d, 0x916dfcfc, 0xa0f05050, 0x7df78a8a,
		0x05b3b6b6, 0xc4a66262, 0x8376f5f5, 0x141e0a0a, 0x9961f8f8, 0xd10ddcdc,
		0x06050303, 0x78443c3c, 0x18140c0c, 0x724b3939, 0x8b7af1f1, 0x19a1b8b8,
		0x8f7cf3f3, 0x7a473d3d, 0x8d7ff2f2, 0xc316d5d5, 0x47d09797, 0xccaa6666,
		0x6bea8181, 0x64563232, 0x2989a0a0, 0x00000000, 0x0c0a0606, 0xf53bcece,
		0x8573f6f6, 0xbd57eaea, 0x07b0b7b7, 0x2e391717, 0x8770f7f7, 0x71fd8c8c,
		0xf28b7979, 0xc513d6d6, 0x2780a7a7, 0x17a8bfbf, 0x7ff48b8b, 0x7e413f3f,
		0x3e211f1f, 0xa6f55353, 0xc6a56363, 0xea9f7575, 0x6a5f3535, 0x58742c2c,
		0xc0a06060, 0x936efdfd, 0x4e692727, 0xcf1cd3d3, 0x41d59494, 0x2386a5a5,
		0xf8847c7c, 0x2b8aa1a1, 0x0a0f0505, 0xb0e85858, 0x5a772d2d, 0x13aebdbd,
		0xdb02d9d9, 0xe720c7c7, 0x3798afaf, 0xd6bd6b6b, 0xa8fc5454, 0x161d0b0b,
		0xa949e0e0, 0x70483838, 0x080c0404, 0xf931c8c8, 0x53ce9d9d, 0xa740e7e7,
		0x283c1414, 0x0bbab1b1, 0x67e08787, 0x51cd9c9c, 0xd708dfdf, 0xdeb16f6f,
		0x9b62f9f9, 0xdd07dada, 0x547e2a2a, 0xe125c4c4, 0xb2eb5959, 0x2c3a1616,
		0xe89c7474, 0x4bda9191, 0x3f94abab, 0x4c6a2626, 0xc2a36161, 0xec9a7676,
		0x685c3434, 0x567d2b2b, 0x339eadad, 0x5bc29999, 0x9f64fbfb, 0xe4967272,
		0xb15decec, 0x66553333, 0x24361212, 0xd50bdede, 0x59c19898, 0x764d3b3b,
		0xe929c0c0, 0x5fc49b9b, 0x7c423e3e, 0x30281818, 0x20301010, 0x744e3a3a,
		0xacfa5656, 0xab4ae1e1, 0xee997777, 0xfb32c9c9, 0x3c221e1e, 0x55cb9e9e,
		0x43d69595, 0x2f8ca3a3, 0x49d99090, 0x322b1919, 0x3991a8a8, 0xd8b46c6c,
		0x121b0909, 0xc919d0d0, 0x8979f0f0, 0x65e38686,
	},
	/* Document 2, MULalpha and DIValpha: MULxPOW(c, i, 0xA9) for i = 23, 245, 48, 239
	 * (MULalpha) and 16, 39, 6, 64 (DIValpha), as 32-bit words. */
	.mul_alpha = {
		0x00000000, 0xe19fcf13, 0x6b973726, 0x8a08f835, 0xd6876e4c, 0x3718a15f,
		0xbd10596a, 0x5c8f9679, 0x05a7dc98, 0xe438138b, 0x6e30ebbe, 0x8faf24ad,
		0xd320b2d4, 0x32bf7dc7, 0xb8b785f2, 0x59284ae1, 0x0ae71199, 0xeb78de8a,
		0x617026bf, 0x80efe9ac, 0xdc607fd5, 0x3dffb0c6, 0xb7f748f3, 0x566887e0,
		0x0f40cd01, 0xeedf0212, 0x64d7fa27, 0x85483534, 0xd9c7a34d, 0x38586c5e,
		0xb250946b, 0x53cf5b78, 0x1467229b, 0xf5f8ed88, 0x7ff015bd, 0x9e6fdaae,
		0xc2e04cd7, 0x237f83c4, 0xa9777bf1, 0x48e8b4e2, 0x11c0fe03, 0xf05f3110,
		0x7a57c925, 0x9bc80636, 0xc747904f, 0x26d85f5c, 0xacd0a769, 0x4d4f687a,
		0x1e803302, 0xff1ffc11, 0x75170424, 0x9488cb37, 0xc8075d4e, 0x2998925d,
		0xa3906a68, 0x420fa57b, 0x1b27ef9a, 0xfab82089, 0x70b0d8bc, 0x912f17af,
		0xcda081d6, 0x2c3f4ec5, 0xa637b6f0, 0x47a879e3, 0x28ce449f, 0xc9518b8c,
		0x435973b9, 0xa2c6bcaa, 0xfe492ad3, 0x1fd6e5c0, 0x95de1df5, 0x7441d2e6,
		0x2d699807, 0xccf65714, 0x46feaf21, 0xa7616032, 0xfbeef64b, 0x1a713958,
		0x9079c16d, 0x71e60e7e, 0x22295506, 0xc3b69a15, 0x49be6220, 0xa821ad33,
		0xf4ae3b4a, 0x1531f459, 0x9f390c6c, 0x7ea6c37f, 0x278e899e, 0xc611468d,
		0x4c19beb8, 0xad8671ab, 0xf109e7d2, 0x109628c1, 0x9a9ed0f4, 0x7b011fe7,
		0x3ca96604, 0xdd36a917, 0x573e5122, 0xb6a19e31, 0xea2e0848, 0x0bb1c75b,
		0x81b93f6e, 0x6026f07d, 0x390eba9c, 0xd891758f, 0x52998dba, 0xb30642a9,
		0xef89d4d0, 0x0e161bc3, 0x841ee3f6, 0x65812ce5, 0x364e779d, 0xd7d1b88e,
		0x5dd940bb, 0xbc468fa8, 0xe0c919d1, 0x0156d6c2, 0x8b5e2ef7, 0x6ac1e1e4,
		0x33e9ab05, 0xd2766416, 0x587e9c23, 0xb9e15330, 0xe56ec549, 0x04f10a5a,
		0x8ef9f26f, 0x6f663d7c, 0x50358897, 0xb1aa4784, 0x3ba2bfb1, 0xda3d70a2,
		0x86b2e6db, 0x672d29c8, 0xed25d1fd, 0x0cba1eee, 0x5592540f, 0xb40d9b1c,
		0x3e056329, 0xdf9aac3a, 0x83153a43, 0x628af550, 0xe8820d65, 0x091dc276,
		0x5ad2990e, 0xbb4d561d, 0x3145ae28, 0xd0da613b, 0x8c55f742, 0x6dca3851,
		0xe7c2c064, 0x065d0f77, 0x5f754596, 0xbeea8a85, 0x34e272b0, 0xd57dbda3,
		0x89f22bda, 0x686de4c9, 0xe2651cfc, 0x03fad3ef, 0x4452aa0c, 0xa5cd651f,
		0x2fc59d2a, 0xce5a5239, 0x92d5c440, 0x734a0b53, 0xf942f366, 0x18dd3c75,
		0x41f57694, 0xa06ab987, 0x2a6241b2, 0xcbfd8ea1, 0x977218d8, 0x76edd7cb,
		0xfce52ffe, 0x1d7ae0ed, 0x4eb5bb95, 0xaf2a7486, 0x25228cb3, 0xc4bd43a0,
		0x9832d5d9, 0x79ad1aca, 0xf3a5e2ff, 0x123a2dec, 0x4b12670d, 0xaa8da81e,
		0x2085502b, 0xc11a9f38, 0x9d950941, 0x7c0ac652, 0xf6023e67, 0x179df174,
		0x78fbcc08, 0x9964031b, 0x136cfb2e, 0xf2f3343d, 0xae7ca244, 0x4fe36d57,
		0xc5eb9562, 0x24745a71, 0x7d5c1090, 0x9cc3df83, 0x16cb27b6, 0xf754e8a5,
		0xabdb7edc, 0x4a44b1cf, 0xc04c49fa, 0x21d386e9, 0x721cdd91, 0x93831282,
		0x198beab7, 0xf81425a4, 0xa49bb3dd, 0x45047cce, 0xcf0c84fb, 0x2e934be8,
		0x77bb0109, 0x9624ce1a, 0x1c2c362f, 0xfdb3f93c, 0xa13c6f45, 0x40a3a056,
		0xcaab5863, 0x2b349770, 0x6c9cee93, 0x8d032180, 0x070bd9b5, 0xe69416a6,
		0xba1b80df, 0x5b844fcc, 0xd18cb7f9, 0x301378ea, 0x693b320b, 0x88a4fd18,
		0x02ac052d, 0xe333ca3e, 0xbfbc5c47, 0x5e239354, 0xd42b6b61, 0x35b4a472,
		0x667bff0a, 0x87e43019, 0x0decc82c, 0xec73073f, 0xb0fc9146, 0x51635e55,
		0xdb6ba660, 0x3af46973, 0x63dc2392, 0x8243ec81, 0x084b14b4, 0xe9d4dba7,
		0xb55b4dde, 0x54c482cd, 0xdecc7af8, 0x3f53b5eb,
	},
	.div_alpha = {
		0x00000000, 0x180f40cd, 0x301e8033, 0x2811c0fe, 0x603ca966, 0x7833e9ab,
		0x50222955, 0x482d6998, 0xc078fbcc, 0xd877bb01, 0xf0667bff, 0xe8693b32,
		0xa04452aa, 0xb84b1267, 0x905ad299, 0x88559254, 0x29f05f31, 0x31ff1ffc,
		0x19eedf02, 0x01e19fcf, 0x49ccf657, 0x51c3b69a, 0x79d27664, 0x61dd36a9,
		0xe988a4fd, 0xf187e430, 0xd99624ce, 0xc1996403, 0x89b40d9b, 0x91bb4d56,
		0xb9aa8da8, 0xa1a5cd65, 0x5249be62, 0x4a46feaf, 0x62573e51, 0x7a587e9c,
		0x32751704, 0x2a7a57c9, 0x026b9737, 0x1a64d7fa, 0x923145ae, 0x8a3e0563,
		0xa22fc59d, 0xba208550, 0xf20decc8, 0xea02ac05, 0xc2136cfb, 0xda1c2c36,
		0x7bb9e153, 0x63b6a19e, 0x4ba76160, 0x53a821ad, 0x1b854835, 0x038a08f8,
		0x2b9bc806, 0x339488cb, 0xbbc11a9f, 0xa3ce5a52, 0x8bdf9aac, 0x93d0da61,
		0xdbfdb3f9, 0xc3f2f334, 0xebe333ca, 0xf3ec7307, 0xa492d5c4, 0xbc9d9509,
		0x948c55f7, 0x8c83153a, 0xc4ae7ca2, 0xdca13c6f, 0xf4b0fc91, 0xecbfbc5c,
		0x64ea2e08, 0x7ce56ec5, 0x54f4ae3b, 0x4cfbeef6, 0x04d6876e, 0x1cd9c7a3,
		0x34c8075d, 0x2cc74790, 0x8d628af5, 0x956dca38, 0xbd7c0ac6, 0xa5734a0b,
		0xed5e2393, 0xf551635e, 0xdd40a3a0, 0xc54fe36d, 0x4d1a7139, 0x551531f4,
		0x7d04f10a, 0x650bb1c7, 0x2d26d85f, 0x35299892, 0x1d38586c, 0x053718a1,
		0xf6db6ba6, 0xeed42b6b, 0xc6c5eb95, 0xdecaab58, 0x96e7c2c0, 0x8ee8820d,
		0xa6f942f3, 0xbef6023e, 0x36a3906a, 0x2eacd0a7, 0x06bd1059, 0x1eb25094,
		0x569f390c, 0x4e9079c1, 0x6681b93f, 0x7e8ef9f2, 0xdf2b3497, 0xc724745a,
		0xef35b4a4, 0xf73af469, 0xbf179df1, 0xa718dd3c, 0x8f091dc2, 0x97065d0f,
		0x1f53cf5b, 0x075c8f96, 0x2f4d4f68, 0x37420fa5, 0x7f6f663d, 0x676026f0,
		0x4f71e60e, 0x577ea6c3, 0xe18d0321, 0xf98243ec, 0xd1938312, 0xc99cc3df,
		0x81b1aa47, 0x99beea8a, 0xb1af2a74, 0xa9a06ab9, 0x21f5f8ed, 0x39fab820,
		0x11eb78de, 0x09e43813, 0x41c9518b, 0x59c61146, 0x71d7d1b8, 0x69d89175,
		0xc87d5c10, 0xd0721cdd, 0xf863dc23, 0xe06c9cee, 0xa841f576, 0xb04eb5bb,
		0x985f7545, 0x80503588, 0x0805a7dc, 0x100ae711, 0x381b27ef, 0x20146722,
		0x68390eba, 0x70364e77, 0x58278e89, 0x4028ce44, 0xb3c4bd43, 0xabcbfd8e,
		0x83da3d70, 0x9bd57dbd, 0xd3f81425, 0xcbf754e8, 0xe3e69416, 0xfbe9d4db,
		0x73bc468f, 0x6bb30642, 0x43a2c6bc, 0x5bad8671, 0x1380efe9, 0x0b8faf24,
		0x239e6fda, 0x3b912f17, 0x9a34e272, 0x823ba2bf, 0xaa2a6241, 0xb225228c,
		0xfa084b14, 0xe2070bd9, 0xca16cb27, 0xd2198bea, 0x5a4c19be, 0x42435973,
		0x6a52998d, 0x725dd940, 0x3a70b0d8, 0x227ff015, 0x0a6e30eb, 0x12617026,
		0x451fd6e5, 0x5d109628, 0x750156d6, 0x6d0e161b, 0x25237f83, 0x3d2c3f4e,
		0x153dffb0, 0x0d32bf7d, 0x85672d29, 0x9d686de4, 0xb579ad1a, 0xad76edd7,
		0xe55b844f, 0xfd54c482, 0xd545047c, 0xcd4a44b1, 0x6cef89d4, 0x74e0c919,
		0x5cf109e7, 0x44fe492a, 0x0cd320b2, 0x14dc607f, 0x3ccda081, 0x24c2e04c,
		0xac977218, 0xb49832d5, 0x9c89f22b, 0x8486b2e6, 0xccabdb7e, 0xd4a49bb3,
		0xfcb55b4d, 0xe4ba1b80, 0x17566887, 0x0f59284a, 0x2748e8b4, 0x3f47a879,
		0x776ac1e1, 0x6f65812c, 0x477441d2, 0x5f7b011f, 0xd72e934b, 0xcf21d386,
		0xe7301378, 0xff3f53b5, 0xb7123a2d, 0xaf1d7ae0, 0x870cba1e, 0x9f03fad3,
		0x3ea637b6, 0x26a9777b, 0x0eb8b785, 0x16b7f748, 0x5e9a9ed0, 0x4695de1d,
		0x6e841ee3, 0x768b5e2e, 0xfedecc7a, 0xe6d18cb7, 0xcec04c49, 0xd6cf0c84,
		0x9ee2651c, 0x86ed25d1, 0xaefce52f, 0xb6f3a5e2,
	},
};
/* clang-format on */
/* clang-format on */

static inline uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* Document 2, "S-box S1": S1(w) = the AES round function's SubBytes + MixColumn on one word. */
static inline uint32_t snow_s1(uint32_t w)
{
	return snow_tab.s1_t[w >> 24] ^ ror32(snow_tab.s1_t[(w >> 16) & 0xff], 8) ^
	       ror32(snow_tab.s1_t[(w >> 8) & 0xff], 16) ^ ror32(snow_tab.s1_t[w & 0xff], 24);
}

/* Document 2, "S-box S2": S2, the same structure with SQ and MULx(., 0x69). */
static inline uint32_t snow_s2(uint32_t w)
{
	return snow_tab.s2_t[w >> 24] ^ ror32(snow_tab.s2_t[(w >> 16) & 0xff], 8) ^
	       ror32(snow_tab.s2_t[(w >> 8) & 0xff], 16) ^ ror32(snow_tab.s2_t[w & 0xff], 24);
}

/*
 * Document 2, clocking the LFSR: the new s15,
 * v = (s0,1 || s0,2 || s0,3 || 0x00) ^ MULalpha(s0,0) ^ s2 ^ (0x00 || s11,0 || s11,1 || s11,2)
 *     ^ DIValpha(s11,3).
 */
static inline uint32_t lfsr_v(uint32_t s0, uint32_t s2, uint32_t s11)
{
	return (s0 << 8) ^ snow_tab.mul_alpha[s0 >> 24] ^ s2 ^ (s11 >> 8) ^
	       snow_tab.div_alpha[s11 & 0xff];
}

/*
 * One clock, keeping the LFSR in place: `a` holds s0..s15 rotated so that s_j = a[(i+j)%16];
 * the new s15 replaces s0. F (Document 2, clocking the FSM) is computed from the state before
 * the clock. SNOW_CLOCK_KS is the keystream mode (z = F ^ s0, then the LFSR without F);
 * SNOW_CLOCK_INIT the initialisation mode (no output; F is fed into the LFSR).
 */
#define SNOW_CLOCK_KS(i)                                                                           \
	do {                                                                                       \
		uint32_t f_ = (a[((i) + 15) & 15] + r1) ^ r2;                                      \
		uint32_t r_ = r2 + (r3 ^ a[((i) + 5) & 15]);                                       \
		z[i] = f_ ^ a[i];                                                                  \
		r3 = snow_s2(r2);                                                                  \
		r2 = snow_s1(r1);                                                                  \
		r1 = r_;                                                                           \
		a[i] = lfsr_v(a[i], a[((i) + 2) & 15], a[((i) + 11) & 15]);                        \
	} while (0)

#define SNOW_CLOCK_INIT(i)                                                                         \
	do {                                                                                       \
		uint32_t f_ = (a[((i) + 15) & 15] + r1) ^ r2;                                      \
		uint32_t r_ = r2 + (r3 ^ a[((i) + 5) & 15]);                                       \
		r3 = snow_s2(r2);                                                                  \
		r2 = snow_s1(r1);                                                                  \
		r1 = r_;                                                                           \
		a[i] = lfsr_v(a[i], a[((i) + 2) & 15], a[((i) + 11) & 15]) ^ f_;                   \
	} while (0)

#define SNOW_16(CLOCK)                                                                             \
	CLOCK(0);                                                                                  \
	CLOCK(1);                                                                                  \
	CLOCK(2);                                                                                  \
	CLOCK(3);                                                                                  \
	CLOCK(4);                                                                                  \
	CLOCK(5);                                                                                  \
	CLOCK(6);                                                                                  \
	CLOCK(7);                                                                                  \
	CLOCK(8);                                                                                  \
	CLOCK(9);                                                                                  \
	CLOCK(10);                                                                                 \
	CLOCK(11);                                                                                 \
	CLOCK(12);                                                                                 \
	CLOCK(13);                                                                                 \
	CLOCK(14);                                                                                 \
	CLOCK(15)

/* 16 clocks in keystream mode: z[0..15]. */
static void snow_ks16(struct sen_snow3g *st, uint32_t z[16])
{
	uint32_t a[16], r1 = st->r1, r2 = st->r2, r3 = st->r3;

	memcpy(a, st->s, sizeof(a));
	SNOW_16(SNOW_CLOCK_KS);
	memcpy(st->s, a, sizeof(a));
	st->r1 = r1;
	st->r2 = r2;
	st->r3 = r3;
}

/* One keystream clock that moves the LFSR words (for counts that are not multiples of 16). */
static uint32_t snow_ks1(struct sen_snow3g *st)
{
	uint32_t *s = st->s;
	uint32_t f = (s[15] + st->r1) ^ st->r2;
	uint32_t r = st->r2 + (st->r3 ^ s[5]);
	uint32_t z = f ^ s[0];
	uint32_t v = lfsr_v(s[0], s[2], s[11]);

	st->r3 = snow_s2(st->r2);
	st->r2 = snow_s1(st->r1);
	st->r1 = r;
	memmove(s, s + 1, 15 * sizeof(s[0]));
	s[15] = v;
	return z;
}

void sen_snow3g_init(struct sen_snow3g *st, const uint32_t k[4], const uint32_t iv[4])
{
	const uint32_t one = 0xffffffffu; /* "1" of Document 2, 4.1: the all-ones word */
	uint32_t a[16], r1 = 0, r2 = 0, r3 = 0;

	/* Document 2, initialisation: key and IV loading. */
	a[15] = k[3] ^ iv[0];
	a[14] = k[2];
	a[13] = k[1];
	a[12] = k[0] ^ iv[1];
	a[11] = k[3] ^ one;
	a[10] = k[2] ^ one ^ iv[2];
	a[9] = k[1] ^ one ^ iv[3];
	a[8] = k[0] ^ one;
	a[7] = k[3];
	a[6] = k[2];
	a[5] = k[1];
	a[4] = k[0];
	a[3] = k[3] ^ one;
	a[2] = k[2] ^ one;
	a[1] = k[1] ^ one;
	a[0] = k[0] ^ one;
	/* 32 clocks in initialisation mode (two rounds of 16 leave the words in place). */
	SNOW_16(SNOW_CLOCK_INIT);
	SNOW_16(SNOW_CLOCK_INIT);
	memcpy(st->s, a, sizeof(a));
	st->r1 = r1;
	st->r2 = r2;
	st->r3 = r3;
	OPENSSL_cleanse(a, sizeof(a));
	/* Document 2, keystream generation: one clock whose output is discarded, then z1, ... */
	(void)snow_ks1(st);
}

void sen_snow3g_keystream(struct sen_snow3g *st, uint32_t *z, size_t n)
{
	for (; n >= 16; n -= 16, z += 16)
		snow_ks16(st, z);
	for (; n; n--)
		*z++ = snow_ks1(st);
}

static void snow_keystream(void *st, uint32_t *z, size_t n)
{
	sen_snow3g_keystream(st, z, n);
}

/* Key words k0..k3 from the key bytes: k3 = KEY[0..31], ..., k0 = KEY[96..127]. */
static void key_words(const uint8_t key[16], uint32_t k[4])
{
	k[3] = sen_load_be32(key);
	k[2] = sen_load_be32(key + 4);
	k[1] = sen_load_be32(key + 8);
	k[0] = sen_load_be32(key + 12);
}

void sen_snow3g_f8(const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
		   const uint8_t *in, uint8_t *out, size_t len_bits)
{
	struct sen_snow3g st;
	uint32_t k[4], iv[4];
	/* Document 1, UEA2: IV3 = IV1 = COUNT-C, IV2 = IV0 = BEARER || DIRECTION || 0^26. */
	uint32_t bd = (uint32_t)(bearer & 0x1f) << 27 | (uint32_t)(dir & 1) << 26;

	key_words(key, k);
	iv[3] = count;
	iv[2] = bd;
	iv[1] = count;
	iv[0] = bd;
	sen_snow3g_init(&st, k, iv);
	/* Document 1, UEA2: keystream bits KS[32(t-1) .. 32t-1] are z_t, added to the data. */
	sen_stream_crypt(&st, snow_keystream, in, out, len_bits);
	OPENSSL_cleanse(&st, sizeof(st));
	OPENSSL_cleanse(k, sizeof(k));
}

/*
 * UIA2 evaluation (Document 1, UIA2 algorithm and MUL64) in GF(2^64) with the polynomial
 * x^64 + x^4 + x^3 + x + 1 (c = 0x1b): EVAL = 0; EVAL = (EVAL ^ M_i) * P for the message
 * blocks M_0..M_{D-3} (the last padded with zeros); then EVAL = (EVAL ^ M_{D-2}) * Q with
 * M_{D-2} = LENGTH as a 64-bit number. Bit 63 of a word is the leftmost bit, so MUL64 is
 * ordinary carry-less multiplication followed by reduction.
 */

/* x^64 = x^4 + x^3 + x + 1: t * (x^4 + x^3 + x + 1) for a t of degree < 4 (fits 8 bits). */
#define GF64_RED(t) ((t) << 4 ^ (t) << 3 ^ (t) << 1 ^ (t))

/* Last message block: the `bits` (1..63) bits left at p, zero-padded. */
static uint64_t uia2_tail(const uint8_t *p, unsigned bits)
{
	uint8_t b[8] = {0};

	memcpy(b, p, (bits + 7) / 8);
	return sen_load_be64(b) & ~(~0ull >> bits);
}

/* Portable path. tab[n] = n * V for the 16 polynomials n of degree < 4. */
static void gf64_table(uint64_t v, uint64_t tab[16])
{
	tab[0] = 0;
	tab[1] = v;
	for (int i = 2; i < 16; i += 2) {
		uint64_t h = tab[i / 2];
		tab[i] = h << 1 ^ ((h >> 63) ? 0x1bu : 0); /* MUL64x of Document 1 */
		tab[i + 1] = tab[i] ^ v;
	}
}

static uint64_t gf64_mul_tab(uint64_t x, const uint64_t tab[16])
{
	uint64_t r = 0;

	for (int sh = 60; sh >= 0; sh -= 4) {
		uint64_t top = r >> 60;

		r = r << 4 ^ GF64_RED(top) ^ tab[(x >> sh) & 15];
	}
	return r;
}

static uint64_t uia2_eval_generic(uint64_t p, uint64_t q, const uint8_t *msg, uint64_t len_bits)
{
	uint64_t tp[16], tq[16], x = 0;
	uint64_t blocks = len_bits / 64;

	gf64_table(p, tp);
	gf64_table(q, tq);
	for (uint64_t i = 0; i < blocks; i++, msg += 8)
		x = gf64_mul_tab(x ^ sen_load_be64(msg), tp);
	if (len_bits & 63)
		x = gf64_mul_tab(x ^ uia2_tail(msg, (unsigned)(len_bits & 63)), tp);
	x = gf64_mul_tab(x ^ len_bits, tq);
	OPENSSL_cleanse(tp, sizeof(tp));
	OPENSSL_cleanse(tq, sizeof(tq));
	return x;
}

#ifdef SEN_CRYPTO_X86
/* The 128-bit carry-less product (in an __m128i) reduced to 64 bits. */
__attribute__((target("pclmul,sse2"))) static inline uint64_t gf64_reduce(__m128i pr)
{
	uint64_t lo = (uint64_t)_mm_cvtsi128_si64(pr);
	uint64_t hi = (uint64_t)_mm_cvtsi128_si64(_mm_srli_si128(pr, 8));
	uint64_t o = hi >> 63 ^ hi >> 61 ^ hi >> 60; /* the bits of hi * 0x1b past x^63 */

	return lo ^ GF64_RED(hi) ^ GF64_RED(o);
}

__attribute__((target("pclmul,sse2"))) static inline __m128i clmul64(uint64_t a, uint64_t b)
{
	return _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)a),
				    _mm_cvtsi64_si128((long long)b), 0x00);
}

/*
 * Horner's rule four blocks at a time: X' = (X ^ M0) P^4 ^ M1 P^3 ^ M2 P^2 ^ M3 P, the four
 * products independent and XORed before one reduction (reduction is linear), so the chain
 * of dependent multiplications is a quarter as long.
 */
__attribute__((target("pclmul,sse2"))) static uint64_t
uia2_eval_clmul(uint64_t p, uint64_t q, const uint8_t *msg, uint64_t len_bits)
{
	uint64_t x = 0, blocks = len_bits / 64;

	if (blocks >= 8) {
		uint64_t p2 = gf64_reduce(clmul64(p, p));
		uint64_t p3 = gf64_reduce(clmul64(p2, p));
		uint64_t p4 = gf64_reduce(clmul64(p3, p));

		for (; blocks >= 4; blocks -= 4, msg += 32) {
			__m128i a = clmul64(x ^ sen_load_be64(msg), p4);
			__m128i b = clmul64(sen_load_be64(msg + 8), p3);
			__m128i c = clmul64(sen_load_be64(msg + 16), p2);
			__m128i d = clmul64(sen_load_be64(msg + 24), p);

			x = gf64_reduce(_mm_xor_si128(_mm_xor_si128(a, b), _mm_xor_si128(c, d)));
		}
	}
	for (; blocks; blocks--, msg += 8)
		x = gf64_reduce(clmul64(x ^ sen_load_be64(msg), p));
	if (len_bits & 63)
		x = gf64_reduce(clmul64(x ^ uia2_tail(msg, (unsigned)(len_bits & 63)), p));
	return gf64_reduce(clmul64(x ^ len_bits, q));
}
#endif

/* UIA2's path: -1 not yet decided, 0 portable, 1 PCLMULQDQ (see stream_int.h). */
static atomic_int snow_use_clmul = -1;

int sen_snow3g_clmul(int on)
{
	return sen_clmul_set(&snow_use_clmul, on);
}

uint32_t sen_snow3g_f9(const uint8_t key[16], uint32_t count, uint32_t fresh, uint8_t dir,
		       const uint8_t *msg, uint64_t len_bits)
{
	struct sen_snow3g st;
	uint32_t k[4], iv[4], z[5];
	uint32_t d = dir & 1;
	uint64_t p, q, eval;
	int use = sen_clmul_get(&snow_use_clmul);

	key_words(key, k);
	/*
	 * Document 1, UIA2 initialisation: IV3 = COUNT-I, IV2 = FRESH, IV1 = COUNT-I with
	 * DIRECTION added to its first bit, IV0 = FRESH with DIRECTION added to bit 16 (from the
	 * left).
	 */
	iv[3] = count;
	iv[2] = fresh;
	iv[1] = count ^ d << 31;
	iv[0] = fresh ^ d << 15;
	sen_snow3g_init(&st, k, iv);
	sen_snow3g_keystream(&st, z, 5);
	OPENSSL_cleanse(&st, sizeof(st));
	OPENSSL_cleanse(k, sizeof(k));
	/* Document 1, UIA2: P = z1 || z2, Q = z3 || z4, MAC-I = first 32 bits of EVAL ^ z5. */
	p = (uint64_t)z[0] << 32 | z[1];
	q = (uint64_t)z[2] << 32 | z[3];
#ifdef SEN_CRYPTO_X86
	if (use)
		eval = uia2_eval_clmul(p, q, msg, len_bits);
	else
#endif
		eval = uia2_eval_generic(p, q, msg, len_bits);
	return (uint32_t)(eval >> 32) ^ z[4];
}
