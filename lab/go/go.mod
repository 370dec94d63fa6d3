module eiplab/lab

go 1.19
