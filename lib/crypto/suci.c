/* placeholder: being written (lib/crypto/suci) */
