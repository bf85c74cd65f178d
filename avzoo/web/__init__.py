"""The local web page of ``avzoo serve`` (:mod:`.app`) and the frame view it draws (:mod:`.negatives`)."""
