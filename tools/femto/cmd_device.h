/* SPDX-License-Identifier: Apache-2.0 */
/* femto's device commands (cmd_device.c) and what they share with femto push (cmd_device_coap.c). */
#ifndef FEMTO_CMD_DEVICE_H
#define FEMTO_CMD_DEVICE_H

#include <coap3/coap.h>

/* femto device list|info|logs|remove: a femtod (or any device) over CoAP. */
int fc_cmd_device(int argc, char **argv);

/* Read "IDENTITY HEXKEY" from @p file into @p cp (static storage). 0 or -1. */
int femto_psk_load(const char *file, coap_dtls_cpsk_t *cp);

#endif /* FEMTO_CMD_DEVICE_H */
