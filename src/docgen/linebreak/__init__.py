"""Where lines break, for the transforms and both writers: a title's and a heading's lines and a table's
column widths (``titles``), and what never breaks across two lines (``unbreakable``)."""
