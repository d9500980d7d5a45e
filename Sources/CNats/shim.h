// Shim for CNats: the one header Swift imports for this C library.
#pragma once
#include <nats/nats.h>

// natsMsg_Destroy does not free: it queues the message for cnats' collector thread and wakes that thread
// when it sleeps (natsGC_collect), one thread wake-up per message, which on a loaded or virtualised machine
// costs more than the free. A message cnats made (natsMsg_create) starts with its collector link
// {next, freeCb}, freeCb = natsMsg_free (msg.c); calling it here is what the collector would do, minus the
// wake-up. natsMsg_free is exported by libnats but not declared in its public header. When the second word
// is not natsMsg_free (another layout, another version), this falls back to natsMsg_Destroy.
extern void natsMsg_free(void *object);

static inline int mpc_nats_msg_frees_directly(const natsMsg *msg) {
    return msg != NULL && ((void *const *)msg)[1] == (void *)natsMsg_free;
}

static inline void mpc_nats_msg_release(natsMsg *msg) {
    if (msg == NULL) return;
    if (mpc_nats_msg_frees_directly(msg)) natsMsg_free(msg);
    else natsMsg_Destroy(msg);
}
