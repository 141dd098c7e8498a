// LecternNN: layers, losses, optimizers and schedules on top of the LecternCore tensor.
@_exported import LecternCore
