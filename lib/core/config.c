/* placeholder: being written (lib/core/config) */
