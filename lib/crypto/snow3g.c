/* placeholder: being written (lib/crypto/snow3g) */
