"""mini_pdf.py - a PDF written from a list of object bodies (object k + 1 is objs[k];
object 1 the catalog), with its cross-reference table: test inputs made by hand, for the
tests that impose PDFs pamphlet did not write."""


def write_pdf(path, objs):
    pdf, offs = b"%PDF-1.4\n", []
    for k, o in enumerate(objs):
        offs.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (k + 1, o.encode())
    x = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    with open(path, "wb") as f:
        f.write(pdf)
