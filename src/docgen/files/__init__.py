"""Files in and out, for every stage: atomic writes and safe names (``output``), zips written from
deflated parts (``zipped``), zips from outside unpacked within bounds (``unpacking``), and what a Word file
is (``wordfile``)."""
