"""Groups of `litkit` sub-commands, each registered on the main group by `litkit.cli`."""
