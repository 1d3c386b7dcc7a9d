package dev.berth.sys;

/**
 * A terminal's size in character cells: struct winsize's ws_row and ws_col (ioctl_tty(2)).
 * The pixel fields are left 0, as every terminal emulator that matters ignores them.
 */
public record WindowSize(int rows, int cols) {
    public WindowSize {
        if (rows < 0 || rows > 0xffff || cols < 0 || cols > 0xffff) {
            throw new IllegalArgumentException("window size out of range (0..65535): " + rows + "x" + cols);
        }
    }
}
