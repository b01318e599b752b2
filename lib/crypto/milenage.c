/* placeholder: being written (lib/crypto/milenage) */
