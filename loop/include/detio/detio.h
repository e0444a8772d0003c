// The one header users include: the whole detio API.
#pragma once

#include "detio/as_completed.h"
#include "detio/errors.h"
#include "detio/future.h"
#include "detio/gather.h"
#include "detio/shield.h"
#include "detio/sleep.h"
#include "detio/task.h"
#include "detio/task_group.h"
#include "detio/task_handle.h"
#include "detio/time.h"
#include "detio/timeout.h"
#include "detio/to_thread.h"
#include "detio/wait.h"
#include "detio/sim/random.h"
#include "detio/sim/run.h"
