#include "trace/trace-hw_vfio_host_emu.h"
