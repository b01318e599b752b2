/* placeholder: being written (lib/core/loop) */
