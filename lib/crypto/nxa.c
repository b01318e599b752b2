/* placeholder: being written (lib/crypto/nxa) */
