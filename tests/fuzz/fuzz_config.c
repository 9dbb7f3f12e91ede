/* libFuzzer target: the JSON configuration reader (a file, read through a
** memory file descriptor), then a target spec from the same bytes. No
** crash, no sanitizer report, a documented status. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "parity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int fd = memfd_create("config", 0);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    parity_config *cfg = parity_config_new();
    int rc = parity_config_load(cfg, path);
    if (rc != PARITY_OK && rc != PARITY_USAGE && rc != PARITY_IO && rc != PARITY_NOMEM &&
        rc != PARITY_ERROR)
        abort();
    if (!parity_config_errmsg(cfg)) abort();
    /* the bytes as a --target spec too */
    char *spec = strndup((const char *)data, size);
    if (spec) parity_config_add_target(cfg, spec);
    free(spec);
    /* a table made with whatever was configured */
    parity_table *t = parity_table_new(cfg);
    parity_table_free(t);
    parity_config_free(cfg);
    close(fd);
    return 0;
}
